#!/usr/bin/env node
// ps-check: syntax check of PowerShell scripts.
//
//   node tools/ps-check/check.mjs DIR|FILE...
//
// Every *.ps1 below each DIR (and every FILE named) is parsed with the
// tree-sitter-powershell grammar, loaded from the .wasm file that the npm
// package ships, through web-tree-sitter. Each ERROR and MISSING node of
// the syntax tree is reported on stderr as
//
//   path:line:column: syntax error near "<snippet>"
//
// with 1-based line and column (the column counts characters). Exit
// status: 0 no syntax error, 1 syntax errors (or a file that cannot be read
// or is not UTF-8), 2 usage error, no .ps1 file found, or the parser could
// not be loaded.
//
// This finds what the tokenizer and parser of PowerShell would reject
// (unbalanced brackets, unterminated strings and here-strings, stray
// tokens); it knows nothing of cmdlets, parameters or PowerShell versions.
// See README.md.

import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

// V8's optimizing tier spends about 4 s of CPU compiling the grammar's
// .wasm in the background, and node waits for it before it exits; with
// the baseline compiler alone a 350 KB script is checked in 0.2 s. The
// flag must be set before any WebAssembly is compiled, so web-tree-sitter
// is imported only in loadParser.
v8.setFlagsFromString('--liftoff-only');

const USAGE = 'usage: node check.mjs DIR|FILE...\n' +
  'Parses every *.ps1 below each DIR (and each FILE) and reports syntax errors.';

const SNIPPET_MAX = 40;

// Closing token of a MISSING node -> the opening tokens it may close.
const OPENERS = {
  '}': ['{', '@{', '${'],
  ')': ['(', '@(', '$('],
  ']': ['['],
};

class UsageError extends Error {}

// findScripts returns the files to check: every *.ps1 (any case) below each
// directory argument, plus each file argument as given, sorted by code
// unit and without duplicates so the order does not depend on the file
// system. Directories named node_modules or .git are not entered, nor are
// symbolic links to directories.
export function findScripts(args) {
  const found = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(full);
        continue;
      }
      if (!/\.ps1$/i.test(entry.name)) continue;
      if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) found.add(full);
    }
  };
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      throw new UsageError(`ps-check: ${arg}: no such file or directory`);
    }
    if (st.isDirectory()) walk(arg);
    else found.add(path.normalize(arg));
  }
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

// loadParser loads the grammar from the .wasm file shipped in the
// tree-sitter-powershell package installed beside this script.
export async function loadParser() {
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
  const { Language, Parser } = await import('web-tree-sitter');
  await Parser.init();
  const language = await Language.load(readFileSync(wasmPath));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

// decode turns the bytes of a script into the text to parse: invalid UTF-8
// is an error, a leading UTF-8 byte order mark is dropped, and CRLF (or a
// lone CR, which PowerShell also takes as a line end) becomes LF. Lines and
// columns are unchanged by this, as a CR only ever ends a line.
export function decode(bytes) {
  let text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, '\n');
}

// checkText parses one script and returns its syntax errors, in source
// order, as { line, column, message } with 1-based line and column.
export function checkText(parser, text) {
  const tree = parser.parse(text);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (index) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    // Count characters, not UTF-16 code units.
    return { line: lo + 1, column: [...text.slice(lineStarts[lo], index)].length + 1 };
  };

  const errors = [];
  const seen = new Set();
  const add = (index, message) => {
    const { line, column } = position(index);
    const key = `${line}:${column}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ index, line, column, message });
  };

  // Walk only into subtrees that contain an error (hasError covers ERROR
  // and MISSING nodes), iteratively: expression nesting is deep.
  const stack = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node.isMissing) {
      add(node.startIndex, `syntax error near ${snippet(text, node.startIndex, node.startIndex)}${missingNote(node, position)}`);
    } else if (node.isError) {
      // An ERROR node may start with the blank space before the bad token.
      let start = node.startIndex;
      while (start < node.endIndex && /\s/.test(text[start])) start++;
      if (start === node.endIndex) start = node.startIndex;
      add(start, `syntax error near ${snippet(text, start, node.endIndex)}`);
    }
    if (node.hasError || node.isError) {
      const children = node.children;
      for (let i = children.length - 1; i >= 0; i--) if (children[i]) stack.push(children[i]);
    }
  }
  tree.delete();
  errors.sort((a, b) => a.index - b.index);
  return errors.map(({ line, column, message }) => ({ line, column, message }));
}

// snippet quotes the source from start: the rest of the node on that line,
// or, for an empty node, the rest of the line (or "end of file").
function snippet(text, start, end) {
  let eol = text.indexOf('\n', start);
  if (eol === -1) eol = text.length;
  let s = text.slice(start, end > start ? Math.min(end, eol) : eol).trimEnd();
  if (s === '') {
    if (start >= text.trimEnd().length) return 'end of file';
    s = text.slice(start, eol).trim();
    if (s === '') return 'end of line';
  }
  const chars = [...s];
  if (chars.length > SNIPPET_MAX) s = chars.slice(0, SNIPPET_MAX).join('') + '...';
  return JSON.stringify(s);
}

// missingNote says which token the parser expected and, for a closing
// bracket, where the bracket it should close was opened.
function missingNote(node, position) {
  let note = ` (missing ${JSON.stringify(node.type)}`;
  const openers = OPENERS[node.type];
  const parent = node.parent;
  if (openers && parent) {
    let opener = null;
    for (const child of parent.children) {
      if (!child || child.startIndex >= node.startIndex) break;
      if (!child.isNamed && openers.includes(child.type)) opener = child;
    }
    if (opener) {
      const { line, column } = position(opener.startIndex);
      note += ` to close ${JSON.stringify(opener.type)} opened at line ${line}, column ${column}`;
    }
  }
  return note + ')';
}

async function main(args) {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.length === 0) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const options = args.filter((a) => a.startsWith('-') && a !== '-');
  if (options.length > 0) {
    process.stderr.write(`ps-check: unknown option ${options[0]}\n${USAGE}\n`);
    return 2;
  }
  let files;
  try {
    files = findScripts(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(err.message + '\n');
      return 2;
    }
    throw err;
  }
  if (files.length === 0) {
    process.stderr.write(`ps-check: no .ps1 file found in ${args.join(' ')}\n`);
    return 2;
  }

  let parser;
  try {
    parser = await loadParser();
  } catch (err) {
    process.stderr.write(`ps-check: cannot load the PowerShell grammar (run npm ci in ${path.dirname(fileURLToPath(import.meta.url))}): ${err.message}\n`);
    return 2;
  }

  let errorCount = 0;
  let badFiles = 0;
  for (const file of files) {
    let text;
    try {
      text = decode(readFileSync(file));
    } catch (err) {
      process.stderr.write(`${file}: ${err instanceof TypeError ? 'not valid UTF-8' : err.message}\n`);
      errorCount++;
      badFiles++;
      continue;
    }
    const errors = checkText(parser, text);
    for (const e of errors) process.stderr.write(`${file}:${e.line}:${e.column}: ${e.message}\n`);
    errorCount += errors.length;
    if (errors.length > 0) badFiles++;
  }
  if (errorCount > 0) {
    process.stderr.write(`ps-check: ${errorCount} errors in ${badFiles} of ${files.length} files\n`);
    return 1;
  }
  process.stdout.write(`ps-check: ${files.length} files parsed, no syntax errors\n`);
  return 0;
}

// Run as a program (also through a symbolic link), not when imported.
const invoked = process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invoked) {
  process.exitCode = await main(process.argv.slice(2));
}
