#!/usr/bin/env node
// Builds the front-end assets into app/static/dist/ (git-ignored), each under a fingerprinted
// name (its content's hash), with manifest.json naming them for the app's asset_url().
//
//   portal.<hash>.css = app/static/css/tokens.css   (the theme: design tokens and fonts)
//                     + @utrecht/component-library-css (NL Design System component CSS)
//                     + app/static/css/portal.css   (our page layout; uses only token variables)
//                     without the rules no template or script uses (PurgeCSS) and without the
//                     tokens no remaining rule reads, minified (lightningcss)
//   <name>.<hash>.js  = app/static/js/*.js, minified (terser)
//   <font>.<hash>.woff2 = every file a stylesheet's url() names (the theme's fonts)
//   *.gz, *.br        = compressed copies of the text files, which WhiteNoise serves to
//                       browsers that accept them
//   purged-classes.json = the classes PurgeCSS found in no template or script; the tests'
//                       page checker fails a page that uses one, so a class put together
//                       in a way the scan cannot see is caught
//
// `@import "<npm package>/<path>";` and `@import "./relative.css";` at the top level of a source
// stylesheet are inlined, so a tokens file may simply import a theme package; `url("<npm
// package>/<path>")` and `url("./relative")` are copied into dist/ under fingerprinted names.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";
import { PurgeCSS } from "purgecss";
import { transform } from "lightningcss";
import { minify } from "terser";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const staticDir = join(root, "app", "static");
const dist = join(staticDir, "dist");

// Where the portal's class names are written: PurgeCSS keeps a rule when a word in these files
// is its class. Classes built from parts in a template ("utrecht-alert--{{ type }}") never
// appear whole, so their families are kept by SAFELIST.
const CONTENT = ["app/templates/**/*.html", "app/static/js/*.js"].map((glob) => join(root, glob));
const SAFELIST = [
  /^utrecht-heading-[1-6]$/, // ui.heading(level=...), pip summaries: utrecht-heading-{{ level }}
  /^utrecht-button--/, // ui.button / ui.post_button: utrecht-button--{{ variant }}
  /^utrecht-button-link--/, // ui.link_button: utrecht-button-link--{{ variant }}
  /^utrecht-alert--/, // ui.alert: utrecht-alert--{{ type }}
  /^utrecht-status-badge--/, // ui.status_badge: utrecht-status-badge--{{ type }}
  /^portal-width-/, // ui.field(width=...): portal-width-{{ width }}
  /^portal-steps__step--/, // pip/_zaak_progress.html: portal-steps__step--{{ 'current' or 'done' }}
];

const IMPORT_RE = /^\s*@import\s+(?:url\()?\s*["']([^"']+)["']\s*\)?\s*;\s*$/gm;
const URL_RE = /url\(\s*(["']?)([^"')]+)\1\s*\)/g;
const COMPRESSIBLE = new Set([".css", ".js", ".json", ".svg"]);

function resolveSpec(spec, fromFile) {
  if (spec.startsWith(".") || spec.startsWith("/")) return resolve(dirname(fromFile), spec);
  return require.resolve(spec); // bare specifier: a file inside an npm package
}

function fingerprinted(name, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  return `${basename(name, extname(name))}.${hash}${extname(name)}`;
}

const manifest = { files: {}, preload: [] };

function emit(logicalName, content) {
  const name = fingerprinted(logicalName, content);
  writeFileSync(join(dist, name), content);
  if (COMPRESSIBLE.has(extname(name))) {
    writeFileSync(join(dist, `${name}.gz`), gzipSync(content, { level: 9 }));
    writeFileSync(join(dist, `${name}.br`), brotliCompressSync(content, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11 },
    }));
  }
  manifest.files[logicalName] = name;
  return name;
}

// A file a stylesheet's url() names (a font), copied to dist/ once; fonts are preloaded.
function emitReferenced(spec, fromFile) {
  if (/^(data:|[a-z]+:\/\/|#)/i.test(spec)) return spec;
  const source = resolveSpec(spec, fromFile);
  const name = emit(basename(source), readFileSync(source));
  if (/\.woff2$/.test(name) && !manifest.preload.includes(name)) manifest.preload.push(name);
  return name;
}

function inline(file, seen = new Set()) {
  if (seen.has(file)) return "";
  seen.add(file);
  const css = readFileSync(file, "utf8").replace(URL_RE, (_m, quote, spec) =>
    `url(${quote}${emitReferenced(spec, file)}${quote})`);
  return css.replace(IMPORT_RE, (_m, spec) => {
    if (/^[a-z]+:\/\//i.test(spec)) throw new Error(`${file}: remote @import not allowed (${spec})`);
    return `/* ---- ${spec} ---- */\n${inline(resolveSpec(spec, file), seen)}\n`;
  });
}

function classesOf(css) {
  const selectors = css.replace(/url\([^)]*\)|"[^"]*"|'[^']*'/g, ""); // not "www.w3.org"
  return new Set([...selectors.matchAll(/\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)/g)].map((m) => m[1]));
}

async function buildCss() {
  // The theme's rules are kept: their selector is the configured THEME_CLASS, which no
  // template spells out. Of its tokens only those a kept rule reads survive (variables: true).
  const tokens = inline(join(staticDir, "css", "tokens.css"));
  const components = inline(require.resolve("@utrecht/component-library-css/dist/index.css"));
  const layout = inline(join(staticDir, "css", "portal.css"));
  const source = [tokens, components, layout].join("\n");
  const purgecss = new PurgeCSS();
  const safelist = [...SAFELIST, ...classesOf(tokens)];
  const [purged] = await purgecss.purge({
    content: CONTENT,
    css: [{ raw: source }],
    safelist: { standard: safelist },
    variables: true,
    keyframes: true,
  });
  // The classes PurgeCSS took for unused: neither found in the content nor safelisted.
  const found = await purgecss.extractSelectorsFromFiles(CONTENT, []);
  const purgedClasses = [...classesOf(components + layout)].filter((name) => !found.hasClass(name)
    && !safelist.some((kept) => (kept instanceof RegExp ? kept.test(name) : kept === name)));
  const { code } = transform({ filename: "portal.css", code: Buffer.from(purged.css), minify: true });
  const name = emit("portal.css", code);
  writeFileSync(join(dist, "purged-classes.json"), JSON.stringify(purgedClasses.sort()));
  console.log(`dist/${name} ${(code.length / 1024).toFixed(1)} KiB `
    + `(from ${(source.length / 1024).toFixed(0)} KiB; ${purgedClasses.length} classes left out)`);
}

// The previous build's files stay beside the new ones (older ones go): a page a running node
// rendered just before the rebuild still gets the stylesheet and scripts it names.
function clearDistKeepingPreviousBuild() {
  mkdirSync(dist, { recursive: true });
  let previous = [];
  try {
    previous = Object.values(JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")).files);
  } catch {
    // no previous build
  }
  const keep = new Set(previous.flatMap((name) => [name, `${name}.gz`, `${name}.br`]));
  for (const file of readdirSync(dist)) {
    if (!keep.has(file)) rmSync(join(dist, file), { recursive: true, force: true });
  }
}

clearDistKeepingPreviousBuild();
await buildCss();
for (const file of readdirSync(join(staticDir, "js"))) {
  if (!file.endsWith(".js")) continue;
  const { code } = await minify(readFileSync(join(staticDir, "js", file), "utf8"));
  const name = emit(file, code);
  console.log(`dist/${name}`);
}
writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2));
console.log(`dist/manifest.json (${relative(root, dist)})`);
