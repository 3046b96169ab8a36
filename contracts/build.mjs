// Compiles contracts/src/**/*.sol (plus the MockPyth contract of @pythnetwork/pyth-sdk-solidity) with the pinned
// solc-js and writes one artifact per deployable contract to perennial_sdk/artifacts/<Name>.json
// ({contractName, abi, bytecode, deployedBytecode, sourceHash}) and perennial_sdk/artifacts/_manifest.json.
//
// sourceHash = sha256 over the concatenated contents of every contracts/src/**/*.sol file, files taken in
// sorted order of their POSIX path relative to contracts/src. A test can recompute it to detect stale artifacts.
//
// usage: node contracts/build.mjs            (from anywhere; run `npm ci --prefix contracts` first)
//        node contracts/build.mjs --check    (exit 1 if the artifacts are stale, compile nothing)

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.join(here, 'src');
const outDir = path.resolve(here, '..', 'perennial_sdk', 'artifacts');
const nodeModules = path.join(here, 'node_modules');
const require = createRequire(import.meta.url);

// deployable contracts that get an artifact (source unit -> contract names)
const EXTERNAL_SOURCES = {
  '@pythnetwork/pyth-sdk-solidity/MockPyth.sol': ['MockPyth'],
};

const SETTINGS = {
  viaIR: true,
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function listSources(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(p));
    else if (entry.name.endsWith('.sol')) out.push(p);
  }
  return out;
}

function sourceHash(files) {
  const rel = files.map((f) => path.relative(srcDir, f).split(path.sep).join('/')).sort();
  const h = crypto.createHash('sha256');
  for (const r of rel) h.update(fs.readFileSync(path.join(srcDir, r)));
  return h.digest('hex');
}

function findImport(importPath) {
  const candidates = [path.join(nodeModules, importPath), path.join(srcDir, importPath)];
  for (const c of candidates) if (fs.existsSync(c)) return { contents: fs.readFileSync(c, 'utf8') };
  return { error: `File not found: ${importPath}` };
}

function main() {
  const files = listSources(srcDir);
  const hash = sourceHash(files);
  const manifestPath = path.join(outDir, '_manifest.json');

  if (process.argv.includes('--check')) {
    const ok = fs.existsSync(manifestPath) && JSON.parse(fs.readFileSync(manifestPath, 'utf8')).sourceHash === hash;
    console.log(ok ? `artifacts up to date (${hash})` : `artifacts STALE (sources ${hash})`);
    process.exit(ok ? 0 : 1);
  }

  const solc = require('solc');
  const sources = {};
  for (const f of files) {
    const key = 'src/' + path.relative(srcDir, f).split(path.sep).join('/');
    sources[key] = { content: fs.readFileSync(f, 'utf8') };
  }
  for (const ext of Object.keys(EXTERNAL_SOURCES)) sources[ext] = { content: fs.readFileSync(path.join(nodeModules, ext), 'utf8') };

  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const t0 = Date.now();
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const e of output.errors || []) if (e.severity !== 'warning' || process.env.VERBOSE) console.error(e.formattedMessage);
  if (errors.length) process.exit(1);

  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir)) if (f.endsWith('.json')) fs.unlinkSync(path.join(outDir, f));

  const libraries = new Set();
  for (const { content } of Object.values(sources))
    for (const m of content.matchAll(/^\s*library\s+(\w+)/gm)) libraries.add(m[1]);

  const names = [];
  const sizes = {};
  for (const [unit, contracts] of Object.entries(output.contracts)) {
    const external = EXTERNAL_SOURCES[unit];
    if (!unit.startsWith('src/') && !external) continue;
    for (const [name, c] of Object.entries(contracts)) {
      if (external && !external.includes(name)) continue;
      const bytecode = c.evm.bytecode.object;
      if (!bytecode || bytecode.length === 0) continue; // interfaces / abstract
      if (libraries.has(name)) continue; // libraries are internal-only
      if (names.includes(name)) throw new Error(`duplicate contract name ${name}`);
      const artifact = {
        contractName: name,
        abi: c.abi,
        bytecode: '0x' + bytecode,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
        sourceHash: hash,
      };
      fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(artifact, null, 1) + '\n');
      names.push(name);
      sizes[name] = c.evm.deployedBytecode.object.length / 2;
    }
  }
  names.sort();
  const manifest = {
    sourceHash: hash,
    solcVersion: solc.version(),
    settings: { viaIR: SETTINGS.viaIR, optimizer: SETTINGS.optimizer, evmVersion: SETTINGS.evmVersion },
    contracts: names,
    deployedSizes: sizes,
  };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1) + '\n');
  console.log(`compiled ${names.length} contracts in ${((Date.now() - t0) / 1000).toFixed(1)}s (solc ${solc.version()})`);
  for (const n of names) console.log(`  ${n.padEnd(20)} ${String(sizes[n]).padStart(6)} bytes${sizes[n] > 24576 ? '  > 24576 LIMIT' : ''}`);
}

main();
