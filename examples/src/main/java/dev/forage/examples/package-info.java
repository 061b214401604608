/**
 * Runnable examples of the Forage SDK and their sample data. {@link dev.forage.examples.QuickStart}
 * is the example the README shows; a test keeps the two identical.
 * {@link dev.forage.examples.SampleCorpus} is the text the devnet demo embeds.
 */
package dev.forage.examples;
