/**
 * The agent runtime: it hosts agents, takes every action they propose through the governed
 * pipeline, keeps the audit log, loads deployments and runs the devnet. This package holds only
 * what the whole module shares, the root of its failures ({@link dev.forage.runtime.AgentRuntimeException}).
 */
package dev.forage.runtime;
