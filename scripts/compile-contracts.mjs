#!/usr/bin/env node
// Compiles a module's Solidity sources with the pinned solc (npm, solcjs) and writes one
// JSON artifact per deployable contract, so the Java side loads ABI and bytecode as resources.
//
//   node scripts/compile-contracts.mjs <module>           regenerate the committed artifacts
//   node scripts/compile-contracts.mjs <module> --check   compare only; exit 1 when they differ
//   add --test to do the same for the test contracts (src/test/solidity/, see below)
//
// Sources: every .sol under <module>/src/main/solidity/ (imports such as @openzeppelin/... come
// from node_modules). Artifacts go to <module>/src/main/resources/dev/forage/<module>/contracts/.
// With --test: every .sol under <module>/src/test/solidity/ (which may also import the main
// sources), artifacts to <module>/src/test/resources/dev/forage/<module>/testcontracts/.
// Artifacts are made for every non-abstract contract defined in the module's own sources, plus
// the library contracts named in the optional <module>/src/main/solidity/artifacts.json:
//   { "contracts": ["@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy"] }
// Exit codes: 0 done / up to date, 1 artifacts differ (--check), 2 usage, setup or compile error.
// Uses only the npm `solc` package and node built-ins.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');

// Fixed so that the same sources give byte-identical artifacts on every machine: no metadata
// hash (it would embed source paths and comments), optimizer settings pinned.
const SETTINGS = Object.freeze({
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  viaIR: false,
  metadata: { bytecodeHash: 'none' },
});

class Failure extends Error {}

function main(argv) {
  const args = argv.slice(2);
  const check = args.includes('--check');
  const test = args.includes('--test');
  const positional = args.filter((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--check' && a !== '--test');
  if (positional.length !== 1 || unknown.length > 0) {
    throw new Failure(
      `usage: node scripts/compile-contracts.mjs <module> [--test] [--check] (got: ${args.join(' ') || 'no arguments'})`);
  }
  const module = positional[0];
  if (!/^[a-z][a-z0-9-]*$/.test(module)) {
    throw new Failure(`module '${module}' is not a module folder name (lower case, digits, '-')`);
  }
  const moduleDir = path.join(ROOT, module);
  const mainSourceDir = path.join(moduleDir, 'src', 'main', 'solidity');
  const sourceDir = test ? path.join(moduleDir, 'src', 'test', 'solidity') : mainSourceDir;
  if (!fs.existsSync(sourceDir)) {
    throw new Failure(`no Solidity sources: ${path.relative(ROOT, sourceDir)} does not exist`);
  }
  // Test artifacts get their own folder name, so that on the test class path they never mix
  // with (or shadow) the main artifacts of the same module.
  const outDir = path.join(moduleDir, 'src', test ? 'test' : 'main', 'resources', 'dev', 'forage',
    module.replaceAll('-', ''), test ? 'testcontracts' : 'contracts');
  // Where imports are looked up, in order: the sources being compiled, for test contracts the
  // module's main sources, then node_modules.
  const importDirs = test ? [sourceDir, mainSourceDir, NODE_MODULES] : [sourceDir, NODE_MODULES];

  const solc = loadSolc();
  const ownSources = listSolidityFiles(sourceDir);
  if (ownSources.length === 0) {
    throw new Failure(`no .sol files under ${path.relative(ROOT, sourceDir)}`);
  }
  const extra = readExtraArtifacts(sourceDir);

  const sources = {};
  for (const name of ownSources) {
    sources[name] = { content: fs.readFileSync(path.join(sourceDir, name), 'utf8') };
  }
  for (const { sourceName } of extra) {
    if (!(sourceName in sources)) {
      sources[sourceName] = { content: readImport(importDirs, sourceName) };
    }
  }

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...SETTINGS,
      outputSelection: {
        '*': {
          '': ['ast'],
          '*': ['abi', 'evm.bytecode.object', 'evm.bytecode.linkReferences', 'evm.deployedBytecode.object'],
        },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), {
    import: (importPath) => {
      try {
        return { contents: readImport(importDirs, importPath) };
      } catch (e) {
        return { error: e.message };
      }
    },
  }));

  const diagnostics = output.errors ?? [];
  for (const d of diagnostics.filter((d) => d.severity !== 'error')) {
    process.stderr.write(`${d.formattedMessage ?? d.message}\n`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Failure(`solc ${solc.version()} failed:\n${errors.map((d) => d.formattedMessage ?? d.message).join('\n')}`);
  }

  const wanted = [];
  for (const name of ownSources) {
    for (const contractName of deployableContracts(output.sources[name].ast)) {
      wanted.push({ sourceName: name, contractName });
    }
  }
  wanted.push(...extra);

  const artifacts = new Map();
  for (const { sourceName, contractName } of wanted) {
    const compiled = output.contracts?.[sourceName]?.[contractName];
    if (!compiled) {
      throw new Failure(`${sourceName}:${contractName} was not found in the compiler output; check artifacts.json`);
    }
    if (compiled.evm.bytecode.object === '') {
      throw new Failure(`${sourceName}:${contractName} has no bytecode (abstract contract or interface); it cannot be deployed`);
    }
    if (Object.keys(compiled.evm.bytecode.linkReferences ?? {}).length > 0) {
      throw new Failure(`${sourceName}:${contractName} needs linked libraries, which this script does not support; make the library functions internal`);
    }
    const file = `${contractName}.json`;
    if (artifacts.has(file)) {
      throw new Failure(`two contracts are named ${contractName} (${artifacts.get(file).sourceName} and ${sourceName}); artifact names must be unique`);
    }
    artifacts.set(file, {
      sourceName,
      text: renderArtifact(contractName, sourceName, compiled),
    });
  }

  const command = `node scripts/compile-contracts.mjs ${module}${test ? ' --test' : ''}`;
  return check ? compare(outDir, artifacts, command) : write(outDir, artifacts);
}

function loadSolc() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  let solc;
  try {
    solc = require('solc');
  } catch (e) {
    throw new Failure(`the npm package 'solc' is not installed under ${NODE_MODULES}: run 'npm ci' in ${ROOT} (${e.message})`);
  }
  const pinned = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies?.solc;
  if (pinned && !solc.version().startsWith(`${pinned}+`)) {
    throw new Failure(`solc ${solc.version()} is installed but package.json pins ${pinned}: run 'npm ci' in ${ROOT}`);
  }
  return solc;
}

/** The .sol files under dir, as '/'-separated paths relative to it, sorted. */
function listSolidityFiles(dir) {
  const found = [];
  const walk = (rel) => {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(child);
      } else if (entry.isFile() && entry.name.endsWith('.sol')) {
        found.push(child);
      }
    }
  };
  walk('');
  return found.sort();
}

function readExtraArtifacts(sourceDir) {
  const file = path.join(sourceDir, 'artifacts.json');
  if (!fs.existsSync(file)) {
    return [];
  }
  let parsed;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Failure(`${path.relative(ROOT, file)} is not valid JSON: ${e.message}`);
  }
  const list = parsed?.contracts;
  if (!Array.isArray(list) || list.some((c) => typeof c !== 'string')) {
    throw new Failure(`${path.relative(ROOT, file)} must be {"contracts": ["<source path>:<ContractName>", ...]}`);
  }
  return list.map((entry) => {
    const colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon === entry.length - 1 || !entry.slice(0, colon).endsWith('.sol')) {
      throw new Failure(`${path.relative(ROOT, file)}: '${entry}' is not of the form '<source path>.sol:<ContractName>'`);
    }
    return { sourceName: entry.slice(0, colon), contractName: entry.slice(colon + 1) };
  });
}

/**
 * Resolves a source unit name in the first of `dirs` that has it: the module's own sources
 * first, node_modules (for '@openzeppelin/...') last. Names that climb out of them are refused.
 */
function readImport(dirs, importPath) {
  if (importPath.split('/').includes('..') || path.isAbsolute(importPath)) {
    throw new Error(`import '${importPath}' must be a path inside the module sources or node_modules`);
  }
  for (const base of dirs) {
    const candidate = path.join(base, importPath);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return fs.readFileSync(candidate, 'utf8');
    }
  }
  throw new Error(`import '${importPath}' not found in ${dirs.map((d) => path.relative(ROOT, d)).join(', ')} (run 'npm ci'?)`);
}

/** Names of the non-abstract contracts (not interfaces, not libraries) a source unit defines. */
function deployableContracts(ast) {
  return ast.nodes
    .filter((n) => n.nodeType === 'ContractDefinition' && n.contractKind === 'contract' && !n.abstract)
    .map((n) => n.name);
}

function renderArtifact(contractName, sourceName, compiled) {
  const artifact = {
    contractName,
    sourceName,
    abi: sortKeys(compiled.abi),
    bytecode: `0x${compiled.evm.bytecode.object}`,
    deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
  };
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

/** Object keys in alphabetical order at every depth; array order is kept (it is meaningful). */
function sortKeys(value) {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

function existingArtifacts(outDir) {
  if (!fs.existsSync(outDir)) {
    return [];
  }
  return fs.readdirSync(outDir).filter((f) => f.endsWith('.json')).sort();
}

function write(outDir, artifacts) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const stale of existingArtifacts(outDir).filter((f) => !artifacts.has(f))) {
    fs.rmSync(path.join(outDir, stale));
    console.log(`removed  ${path.relative(ROOT, path.join(outDir, stale))}`);
  }
  for (const [file, { text }] of [...artifacts].sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(outDir, file);
    const unchanged = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
    if (!unchanged) {
      fs.writeFileSync(target, text);
    }
    console.log(`${unchanged ? 'same   ' : 'wrote  '}  ${path.relative(ROOT, target)}`);
  }
  return 0;
}

function compare(outDir, artifacts, command) {
  const problems = [];
  for (const [file, { text }] of [...artifacts].sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(outDir, file);
    if (!fs.existsSync(target)) {
      problems.push(`missing  ${path.relative(ROOT, target)}`);
    } else if (fs.readFileSync(target, 'utf8') !== text) {
      problems.push(`differs  ${path.relative(ROOT, target)}`);
    }
  }
  for (const stale of existingArtifacts(outDir).filter((f) => !artifacts.has(f))) {
    problems.push(`stale    ${path.relative(ROOT, path.join(outDir, stale))} (no contract produces it)`);
  }
  if (problems.length > 0) {
    console.log(problems.join('\n'));
    console.log(`${problems.length} artifact(s) out of date: run '${command}' and commit the result`);
    return 1;
  }
  console.log(`${artifacts.size} artifact(s) up to date in ${path.relative(ROOT, outDir)}`);
  return 0;
}

try {
  process.exitCode = main(process.argv);
} catch (e) {
  // Exit 2 for every failure, so that 1 always means "artifacts differ".
  process.stderr.write(`compile-contracts: ${e instanceof Failure ? e.message : e.stack}\n`);
  process.exitCode = 2;
}
