/**
 * How deployments are read and written: YAML with every node's position, the secret scan, the
 * JSON Schema validation and the translation of its errors back to lines and field paths, the
 * checks a schema cannot express, and the model's reader and writer. Not API.
 */
package dev.forage.runtime.deploy.internal;
