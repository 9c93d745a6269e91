// The plain scalar forms whose loaded value is recorded from Psych itself (scalars.json): every
// token shape of Psych's ScalarScanner (null and boolean words, times, dates, infinities, symbols,
// sexagesimals, floats, integers in four bases, strings), crossed with signs, underscores,
// commas, dots, colons, exponents and case, plus the paths, modes and times appspecs hold.
// Pure and deterministic: the recorder and the test both call it, so the table covers it all.

const SIGNS = ['', '+', '-']

/** Each of a word's case variants that users write: lower, Capitalised, UPPER, and one mixed. */
function cases(word: string): string[] {
  const mixed = [...word].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('')
  const capital = word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()
  return [word.toLowerCase(), capital, word.toUpperCase(), mixed]
}

const WORDS = ['null', 'yes', 'no', 'true', 'false', 'on', 'off', 'y', 'n', 'nil', 'none']

/** Near misses of the words: one longer, a letter more, a space inside, and the 5-letter cut. */
const NEAR_WORDS = [
  '~',
  '~/app',
  '~x',
  'nulls',
  'nullx',
  'yess',
  'truex',
  'truexx',
  'falsex',
  'falsee',
  'onn',
  'offf',
  'yes no',
  'on call',
  'no-op',
  't',
  'f',
  'o',
  'Y!',
  'n/a',
  'N/A',
  '_yes'
]

const INTEGER_BODIES = [
  '0',
  '7',
  '42',
  '1_000',
  '1__000',
  '1_',
  '10_',
  '1,000',
  '1,,000',
  '1,000,000',
  '12345678901234567890',
  '00',
  '017',
  '0755',
  '0644',
  '08',
  '09',
  '0_7',
  '0_',
  '0,7',
  '0o17',
  '0O17',
  '0x1F',
  '0x1f',
  '0X1F',
  '0xG',
  '0x_1F',
  '0x',
  '0x_',
  '0xFFFFFFFFFFFFFFFFFFFF',
  '0b101',
  '0B101',
  '0b102',
  '0b_1',
  '0b',
  '0b_',
  '0d10',
  '1a',
  '1e3',
  '1E3'
]

const FLOAT_BODIES = [
  '.',
  '.5',
  '5.',
  '0.0',
  '0.00',
  '1.0',
  '1.5',
  '00.5',
  '1_000.5',
  '1,000.5',
  '1.5_5',
  '1.2.3',
  '1.5e3',
  '1.5e+3',
  '1.5E-3',
  '1.5e+03',
  '1e+3',
  '1.e+3',
  '.e+3',
  '.5e-2',
  '1.5e',
  '1.5e+',
  '1.0e+400',
  '1.0e-400',
  '3.14159265358979323846',
  '.inf',
  '.Inf',
  '.INF',
  '.iNf',
  'inf',
  '.nan',
  '.NaN',
  '.NAN',
  'nan',
  '._5',
  '_.5'
]

const SEXAGESIMAL_BODIES = [
  '1:20',
  '1:2',
  '1:59',
  '1:60',
  '1:5x',
  '1:20:30',
  '1:2:3:4',
  '190:20:30',
  '1_0:20',
  '01:20',
  '1:20.5',
  '1:20:30.5',
  '1:20.',
  '1:20._5',
  '1:20.5_5',
  '1::20',
  '12:30pm'
]

const TIMES_AND_DATES = [
  '2024-01-01',
  '2024-1-1',
  '2024-13-01',
  '2024-02-31',
  '2024-01-32',
  '24-01-01',
  '2024-01-01x',
  '20240101',
  '2024-01-01T10:00:00Z',
  '2024-01-01t10:00:00',
  '2024-01-01 10:00:00',
  '2024-01-01  10:00:00',
  '2024-01-01T10:00:00.5',
  '2024-01-01T10:00:00.123456+09:00',
  '2024-01-01T10:00:00 +09',
  '2024-01-01T10:00:00-0530',
  '-2024-01-01T10:00:00',
  '2024-01-01T1:00:00',
  '2024-01-01T10:0:00',
  '2024-01-01T10:00'
]

const SYMBOLS = [':a', ':abc', ':"a b"', ":'x'", ':1', ':-', ':a:b', 'a:b']

/** Strings appspecs hold: paths, users, modes, timeouts with units, versions, odd punctuation. */
const APPSPEC_TEXTS = [
  './',
  '/',
  '//',
  '/.',
  '/./',
  '..',
  '../x',
  './x',
  './scripts/start.sh',
  'x/',
  '//x',
  '/x',
  '.x',
  '.env',
  '.5x',
  '...',
  '--',
  '+',
  '=',
  'a b',
  'app.jar',
  'scripts/start.sh',
  '/home/ubuntu/app',
  'C:\\app',
  'ubuntu',
  'root',
  'ec2-user',
  '300s',
  '1h',
  '3600',
  '3_600',
  '1.0.0',
  'v1.0',
  '0.0.1',
  '10.0.0.1',
  '0.0.0.0:80',
  'linux',
  'Linux',
  'windows',
  'OVERWRITE',
  'Disallow',
  'é',
  'ü1',
  '日本',
  'a\tb',
  '1 2',
  '-1 2',
  'a#b',
  '$HOME',
  '^x',
  '<x>',
  '(a)',
  'a;b',
  'a\\b',
  ';',
  'x=1'
]

/** Every form, each once, in a stable order. */
export function scalarForms(): string[] {
  const forms = [
    ...WORDS.flatMap(cases),
    ...NEAR_WORDS,
    ...SIGNS.flatMap((sign) => INTEGER_BODIES.map((b) => sign + b)),
    ...SIGNS.flatMap((sign) => FLOAT_BODIES.map((b) => sign + b)),
    ...SIGNS.flatMap((sign) => SEXAGESIMAL_BODIES.map((b) => sign + b)),
    ...TIMES_AND_DATES,
    ...SYMBOLS,
    ...APPSPEC_TEXTS
  ]
  return [...new Set(forms)]
}
