/**
 * The blue-green strategy ({@link dev.sluice.controller.plan.bluegreen.BlueGreenUpdate}), with Argo
 * Rollouts' semantics. The switch of the active Service is decided in one place,
 * {@code BlueGreenUpdate.advance}.
 */
package dev.sluice.controller.plan.bluegreen;
