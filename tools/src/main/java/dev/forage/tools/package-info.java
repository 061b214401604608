/**
 * Synchronous tools an agent uses: settlement on an EVM chain and x402 payments over HTTP.
 * Everything here blocks and is meant to run on virtual threads; nothing imports Vert.x.
 * {@link dev.forage.tools.ToolException} is the root of every failure the module raises.
 */
package dev.forage.tools;
