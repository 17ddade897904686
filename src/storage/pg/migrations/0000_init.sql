CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"display_name" text NOT NULL,
	"name_key" text NOT NULL,
	"timezone" text NOT NULL,
	"is_bot" boolean NOT NULL,
	"department" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "people_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"privacy" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversations_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"workspace_id" text NOT NULL,
	"event_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "processed_events_workspace_id_event_id_pk" PRIMARY KEY("workspace_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_channel_settings" (
	"workspace_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"suggest" boolean DEFAULT false NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_channel_settings_workspace_id_conversation_id_pk" PRIMARY KEY("workspace_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_contributors" (
	"item_id" bigint NOT NULL,
	"person_id" text NOT NULL,
	"display_name" text NOT NULL,
	"name_key" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "knowledge_contributors_item_id_person_id_pk" PRIMARY KEY("item_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "knowledge_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" text NOT NULL,
	"thread_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"conversation_name" text NOT NULL,
	"conversation_key" text NOT NULL,
	"privacy" text NOT NULL,
	"root_message_id" text NOT NULL,
	"title" text NOT NULL,
	"title_edited" boolean DEFAULT false NOT NULL,
	"body" text NOT NULL,
	"search_text" text NOT NULL,
	"tags_text" text DEFAULT '' NOT NULL,
	"search_vector" "tsvector" DEFAULT '' NOT NULL,
	"permalink" text,
	"message_count" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"confirmation_message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"last_viewed_at" timestamp with time zone,
	"stale_asked_at" timestamp with time zone,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "knowledge_savers" (
	"item_id" bigint NOT NULL,
	"person_id" text NOT NULL,
	"via" text NOT NULL,
	"saved_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_savers_item_id_person_id_pk" PRIMARY KEY("item_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_tags" (
	"item_id" bigint NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "knowledge_tags_item_id_tag_pk" PRIMARY KEY("item_id","tag")
);
--> statement-breakpoint
ALTER TABLE "knowledge_contributors" ADD CONSTRAINT "knowledge_contributors_item_id_knowledge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."knowledge_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_savers" ADD CONSTRAINT "knowledge_savers_item_id_knowledge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."knowledge_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_tags" ADD CONSTRAINT "knowledge_tags_item_id_knowledge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."knowledge_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "people_name_key" ON "people" USING btree ("workspace_id","name_key");--> statement-breakpoint
CREATE INDEX "processed_events_at" ON "processed_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "knowledge_contributors_person" ON "knowledge_contributors" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "knowledge_contributors_name" ON "knowledge_contributors" USING btree ("name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_items_thread" ON "knowledge_items" USING btree ("workspace_id","thread_id");--> statement-breakpoint
CREATE INDEX "knowledge_items_recent" ON "knowledge_items" USING btree ("workspace_id","status","updated_at");--> statement-breakpoint
CREATE INDEX "knowledge_items_conversation" ON "knowledge_items" USING btree ("workspace_id","conversation_key");--> statement-breakpoint
CREATE INDEX "knowledge_items_stale" ON "knowledge_items" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "knowledge_items_search" ON "knowledge_items" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "knowledge_savers_person" ON "knowledge_savers" USING btree ("person_id","saved_at");--> statement-breakpoint
CREATE INDEX "knowledge_tags_tag" ON "knowledge_tags" USING btree ("tag");