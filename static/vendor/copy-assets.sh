#!/bin/sh
# Copy the served files out of node_modules and build Pico's subset (run by `make vendor`, from this folder).
set -e
pico=$(node -p 'require("./package.json").dependencies["@picocss/pico"]')
noto=$(node -p 'require("./package.json").dependencies["@fontsource/noto-sans-devanagari"]')
rm -rf "pico-$pico" "noto-sans-devanagari-$noto"
mkdir -p "pico-$pico" "noto-sans-devanagari-$noto"
node_modules/.bin/sass --no-source-map --style=compressed --quiet pico-trainer.scss "pico-$pico/pico.trainer.min.css"
cp node_modules/@picocss/pico/LICENSE.md "pico-$pico/"
for weight in 400 600; do
  cp "node_modules/@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-$weight-normal.woff2" \
     "noto-sans-devanagari-$noto/"
done
cp node_modules/@fontsource/noto-sans-devanagari/LICENSE "noto-sans-devanagari-$noto/"
