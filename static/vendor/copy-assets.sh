#!/bin/sh
# Copy the served files out of node_modules (run by `make vendor`, from this folder).
set -e
pico=$(node -p 'require("./package.json").dependencies["@picocss/pico"]')
noto=$(node -p 'require("./package.json").dependencies["@fontsource/noto-sans-devanagari"]')
mkdir -p "pico-$pico" "noto-sans-devanagari-$noto"
cp node_modules/@picocss/pico/css/pico.min.css node_modules/@picocss/pico/LICENSE.md "pico-$pico/"
for weight in 400 600; do
  cp "node_modules/@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-$weight-normal.woff2" \
     "noto-sans-devanagari-$noto/"
done
cp node_modules/@fontsource/noto-sans-devanagari/LICENSE "noto-sans-devanagari-$noto/"
