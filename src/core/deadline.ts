/**
 * Answer before the platform's deadline. Slack closes a modal unless a view_submission is acked
 * within 3 s; Teams gives an invoke 5 s; a roster lookup must not hold up either. The work keeps
 * running after the deadline (what it does later still counts); the caller learns only whether
 * it finished in time, and answers with what it has.
 */
export async function finishedWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      late,
    ])
  } finally {
    clearTimeout(timer)
  }
}
