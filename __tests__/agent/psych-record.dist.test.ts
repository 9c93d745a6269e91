// The Psych table (psych/scalars.json) re-recorded against Psych itself wherever Ruby 3.1 is at
// hand (CI installs it with the agent): the record cannot drift from the truth. Skips, saying so
// in one line, without Ruby. `npm run record:psych` rewrites the table from Psych.
import { describe, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { scalarForms } from './psych/forms.js'
import { psychAtHand, readTable, recordWithPsych, TABLE_FILE } from './psych/table.js'

const ruby = psychAtHand()
if (!ruby)
  process.stderr.write('ruby 3.1 with Psych 4 not available: skipping the Psych re-recording\n')
const maybe = ruby ? describe : describe.skip

maybe(`Psych (${ruby ?? 'absent'}) loads every scalar form as the table records`, () => {
  test('the table is what Psych says today', () => {
    const live = recordWithPsych(scalarForms())
    if (process.env.RECORD_PSYCH === '1')
      writeFileSync(TABLE_FILE, `${JSON.stringify(live, null, 2)}\n`)
    expect(readTable()).toEqual(live)
  })
})
