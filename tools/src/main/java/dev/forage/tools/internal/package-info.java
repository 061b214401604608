/**
 * Implementation pieces shared by more than one tools package (and by the runtime that wires
 * them), such as per-key locks. Not API: names and behaviour may change without notice.
 */
package dev.forage.tools.internal;
