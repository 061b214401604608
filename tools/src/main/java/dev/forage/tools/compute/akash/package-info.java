/**
 * GPU time on Akash: {@link dev.forage.tools.compute.akash.AkashMarket}, a
 * {@link dev.forage.tools.compute.ComputeMarket} over the Console managed-wallet API, and the
 * Stack Definition Language it speaks: {@link dev.forage.tools.compute.akash.Sdl} reads and writes
 * SDL 2.0 and 2.1 files without losing a field, {@link dev.forage.tools.compute.akash.SdlTemplate}
 * writes the SDL for a {@link dev.forage.tools.compute.ComputeSpec}.
 */
package dev.forage.tools.compute.akash;
