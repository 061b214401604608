/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys in the key encodings of
 * golang.org/x/mod/sumdb/note, and C2SP tlog checkpoints (c2sp.org/tlog-checkpoint) carried in
 * them. Notes made here open with any conforming verifier and the other way round.
 */
package dev.forage.runtime.audit.note;
