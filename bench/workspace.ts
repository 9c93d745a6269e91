// The workspaces the benchmark deploys, shaped like a Java project after its build: codedeploy/
// (appspec, hook scripts, config, static assets) and build/libs/app.jar. Jars are real zip files
// made with `zip` (deflated class-like entries, stored nested jars and images), so their bytes are
// as incompressible as a real jar's; text and class files compress the way source-like text does.
// Generated once and kept under bench/out/sets/ (a marker file says the set is complete).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'

export type SetName = 'small' | '300mb' | '2gb'

export interface SetSpec {
  name: SetName
  /** What the set holds, for the report. */
  description: string
  /** build/libs/app.jar, MiB. */
  appJarMiB: number
  /** codedeploy/lib/*.jar: how many, and MiB each. */
  libJars: number
  libJarMiB: number
  /** codedeploy/static/*.png: how many, and KiB each (incompressible). */
  images: number
  imageKiB: number
  /** codedeploy/classes/**: exploded .class/.xml/.properties files, and KiB each (compressible). */
  textFiles: number
  textKiB: number
}

export const SETS: Record<SetName, SetSpec> = {
  small: {
    name: 'small',
    description:
      'tutorial-shaped app: appspec, 3 hook scripts, ~40 config/static files, a 20 MB jar',
    appJarMiB: 20,
    libJars: 0,
    libJarMiB: 0,
    images: 6,
    imageKiB: 40,
    textFiles: 30,
    textKiB: 4
  },
  '300mb': {
    name: '300mb',
    description:
      'jar-dominated artifact set: a 60 MB app jar, 45 library jars of 4 MB, 30 MB of images, 20 MB of class/text files',
    appJarMiB: 60,
    libJars: 45,
    libJarMiB: 4,
    images: 150,
    imageKiB: 200,
    textFiles: 400,
    textKiB: 50
  },
  '2gb': {
    name: '2gb',
    description:
      'large artifact set: a 200 MB app jar, 300 library jars of 4.5 MB, 300 MB of images, 240 MB of class/text files',
    appJarMiB: 200,
    libJars: 300,
    libJarMiB: 4.5,
    images: 600,
    imageKiB: 512,
    textFiles: 2400,
    textKiB: 100
  }
}

const APPSPEC = `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/bench-app
hooks:
  AfterInstall:
    - location: scripts/after-install.sh
      timeout: 60
  ApplicationStart:
    - location: scripts/start.sh
      timeout: 60
  ValidateService:
    - location: scripts/validate.sh
      timeout: 60
`

const WORDS = Array.from({ length: 400 }, (_, i) => {
  const letters = randomBytes(4 + (i % 9))
    .toString('base64url')
    .replace(/[-_\d]/g, 'x')
  return i % 5 === 0 ? `get${letters}` : letters
})

/** Source-like text: identifiers from a small vocabulary (deflates about 4.5x, like XML and class files). */
function textLike(bytes: number): Buffer {
  const parts: string[] = []
  let n = 0
  while (n < bytes) {
    const line = `  ${WORDS[Math.floor(Math.random() * WORDS.length)]}.${WORDS[Math.floor(Math.random() * WORDS.length)]}(${Math.floor(Math.random() * 1000)});\n`
    parts.push(line)
    n += line.length
  }
  return Buffer.from(parts.join('')).subarray(0, bytes)
}

/** PNG signature then noise: as incompressible as a real compressed image. */
function pngLike(bytes: number): Buffer {
  const b = randomBytes(bytes)
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b)
  return b
}

/**
 * A real jar of about `mib` MiB, written by `zip`: 30% of its size deflated class files, 70%
 * already-compressed resources (a fat jar's nested jars, images), which `zip` stores.
 */
function makeJar(out: string, mib: number, scratch: string): void {
  rmSync(scratch, { recursive: true, force: true })
  // 16 KiB class files deflate about 2.3x each (every file repeats its own vocabulary).
  const classesBytes = mib * 0.3 * 2.3 * 1024 * 1024
  const storedBytes = mib * 0.7 * 1024 * 1024
  const classDir = path.join(scratch, 'BOOT-INF', 'classes', 'com', 'example')
  mkdirSync(classDir, { recursive: true })
  const classSize = 16 * 1024
  for (let i = 0; i * classSize < classesBytes; i++) {
    writeFileSync(path.join(classDir, `C${i}.class`), textLike(classSize))
  }
  const resDir = path.join(scratch, 'BOOT-INF', 'resources')
  mkdirSync(resDir, { recursive: true })
  const resource = 512 * 1024
  for (let i = 0; i * resource < storedBytes; i++) {
    // Compressed bytes (like a nested jar or an image): deflate cannot shrink them, so zip stores them.
    writeFileSync(path.join(resDir, `blob-${i}.bin`), randomBytes(resource))
  }
  mkdirSync(path.join(scratch, 'META-INF'), { recursive: true })
  writeFileSync(path.join(scratch, 'META-INF', 'MANIFEST.MF'), 'Manifest-Version: 1.0\n')
  rmSync(out, { force: true })
  mkdirSync(path.dirname(out), { recursive: true })
  execFileSync('zip', ['-q', '-r', '-X', out, '.'], { cwd: scratch })
  rmSync(scratch, { recursive: true, force: true })
}

function write(file: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, content)
  chmodSync(file, mode)
}

/** The workspace for a set, generated on first use. */
export function ensureWorkspace(outDir: string, spec: SetSpec, log: (m: string) => void): string {
  const ws = path.resolve(outDir, 'sets', spec.name)
  const marker = path.join(ws, '.complete')
  if (existsSync(marker)) return ws
  log(`generating the ${spec.name} workspace in ${ws} (once)`)
  rmSync(ws, { recursive: true, force: true })
  const cd = path.join(ws, 'codedeploy')
  const scratch = path.resolve(outDir, 'sets', `.scratch-${spec.name}`)
  write(path.join(cd, 'appspec.yml'), APPSPEC)
  write(path.join(cd, 'scripts', 'after-install.sh'), '#!/bin/bash\ntrue\n', 0o755)
  // The app takes a few seconds to come up, like a small JVM service: a deployment that ends
  // the instant it starts would hide the waiting the benchmark is about.
  write(path.join(cd, 'scripts', 'start.sh'), '#!/bin/bash\nsleep 5\n', 0o755)
  write(path.join(cd, 'scripts', 'validate.sh'), '#!/bin/bash\ntrue\n', 0o755)
  write(path.join(cd, 'config', 'application.properties'), textLike(2048))
  write(path.join(cd, 'config', 'nginx.conf'), 'server { listen 80; }\n')
  for (let i = 0; i < spec.textFiles; i++) {
    const ext = ['class', 'xml', 'properties', 'html', 'js', 'css'][i % 6]
    write(
      path.join(cd, 'classes', `pkg${i % 20}`, `File${i}.${ext}`),
      textLike(spec.textKiB * 1024)
    )
  }
  for (let i = 0; i < spec.images; i++) {
    write(path.join(cd, 'static', `img${i}.png`), pngLike(spec.imageKiB * 1024))
  }
  // Up to 8 distinct library jars, copied under distinct names: gzip's 32 KiB window cannot
  // see a repeat megabytes away, so copies compress exactly like distinct jars.
  const distinct = Math.min(spec.libJars, 8)
  for (let i = 0; i < distinct; i++) {
    makeJar(path.join(cd, 'lib', `library-${i}.jar`), spec.libJarMiB, scratch)
  }
  for (let i = distinct; i < spec.libJars; i++) {
    copyFileSync(
      path.join(cd, 'lib', `library-${i % distinct}.jar`),
      path.join(cd, 'lib', `library-${i}.jar`)
    )
  }
  mkdirSync(path.join(ws, 'build', 'libs'), { recursive: true })
  makeJar(path.join(ws, 'build', 'libs', 'app.jar'), spec.appJarMiB, scratch)
  writeFileSync(marker, new Date().toISOString())
  return ws
}

/**
 * The upload rows' object: the 300 MB set's bundle as the hand-written steps build it (`tar -zcf`
 * of codedeploy/ with the app jar as application.jar), generated once beside the sets. A real
 * deployable bundle (the action checks its appspec), mostly incompressible (jars, images), so
 * neither tool gains from compression, and the same bytes the 300 MB rows upload.
 */
export function ensureUploadBundle(outDir: string, log: (m: string) => void): string {
  const bundle = path.resolve(outDir, 'sets', '300mb-bundle.tgz')
  if (existsSync(bundle)) return bundle
  const ws = ensureWorkspace(outDir, SETS['300mb'], log)
  log(`building the upload rows' bundle ${bundle} (once)`)
  const partial = `${bundle}.partial`
  execFileSync('tar', [
    ...['-zcf', partial, '-C', path.join(ws, 'codedeploy'), '.'],
    ...[
      '-C',
      path.join(ws, 'build', 'libs'),
      '--transform',
      's|^app\\.jar$|./application.jar|',
      'app.jar'
    ]
  ])
  renameSync(partial, bundle)
  return bundle
}
