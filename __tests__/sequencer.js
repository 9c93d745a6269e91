// The order jest starts suites in (jest.config.js): those that failed last time, then the longest
// first, by the times of the last run on this machine, as jest does by default. A suite never
// timed here (a fresh clone, as in CI) is not put first, as jest would: it is estimated from its
// size and project, so the long bed suites start first and the quick unit suites fill the end.
import Sequencer from '@jest/test-sequencer'

/** Milliseconds a never-timed suite is taken to last, per KB of its source, by project. */
const MS_PER_KB = { bed: 4000, dist: 2000, unit: 100 }

export default class LongestFirst extends Sequencer {
  sort(tests) {
    const keyed = tests.map((test) => {
      test.duration = this.time(test)
      const kb = (test.context.hasteFS.getSize(test.path) ?? 0) / 1024
      const estimate = kb * (MS_PER_KB[test.context.config.displayName?.name] ?? 1000)
      return { test, failed: this.hasFailed(test), ms: test.duration ?? estimate }
    })
    keyed.sort((a, b) => (a.failed !== b.failed ? (a.failed ? -1 : 1) : b.ms - a.ms))
    return keyed.map((k) => k.test)
  }
}
