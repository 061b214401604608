/**
 * The {@code forage} command line (picocli): the devnet, audit-log tools and, later, the
 * control-plane client. Commands parse and report; the work happens in the runtime packages.
 */
package dev.forage.runtime.cli;
