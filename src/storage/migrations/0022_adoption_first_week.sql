-- "New in the team" asks only about the people active in the weeks shown: each one's rows in week order,
-- so the first row in one of the team's channels is their first week there (see firstSeenOf).
CREATE INDEX `adoption_first_seen_first` ON `adoption_first_seen` (`workspace_id`,`person_id`,`week`,`conversation_id`);