/**
 * Deployments: an agent described in a YAML file ({@code apiVersion: forage.dev/v1},
 * {@code kind: AgentDeployment}), validated against the shipped JSON Schema
 * ({@value dev.forage.runtime.deploy.DeploymentLoader#SCHEMA_RESOURCE}) and read into
 * {@link dev.forage.runtime.deploy.AgentDeployment}. Every problem in a file is reported at
 * once, each with its file, line, column and field path; secrets are only ever named (an
 * environment variable or a file), never written in the file.
 */
package dev.forage.runtime.deploy;
