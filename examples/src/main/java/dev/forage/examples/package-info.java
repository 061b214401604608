/**
 * Runnable examples of the Forage SDK. {@link dev.forage.examples.QuickStart} is the example
 * the README shows; a test keeps the two identical.
 */
package dev.forage.examples;
