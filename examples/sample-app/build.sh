#!/bin/bash
# Builds the sample app with the JDK alone (javac + jar): build/libs/sample-app.jar, runnable,
# and build/libs/sample-app-plain.jar, classes only, as a Spring Boot build leaves them side by side.
set -euo pipefail
cd "$(dirname "$0")"

command -v javac >/dev/null || {
  echo "javac not found: install a JDK 17 or later (Debian: apt-get install default-jdk-headless)" >&2
  exit 1
}
rm -rf build
mkdir -p build/classes build/libs
javac --release 17 -d build/classes $(find src/main/java -name '*.java' | sort)
# A fixed date keeps the jars byte-for-byte the same from one build to the next.
date=1980-01-01T00:00:02Z
jar --create --date="$date" --file build/libs/sample-app.jar \
  --main-class com.example.sampleapp.App -C build/classes .
jar --create --date="$date" --file build/libs/sample-app-plain.jar -C build/classes .
ls -l build/libs
