/**
 * Verification of results bought from providers: the {@link dev.forage.tools.verify.Verdict}
 * a verifier reaches, which gates settlement (a failed verdict is never paid in full) and feeds
 * provider statistics and reputation.
 */
package dev.forage.tools.verify;
