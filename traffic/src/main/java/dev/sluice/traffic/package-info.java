/**
 * Traffic routers: how a Rollout's canary weight, header routes and mirror routes reach a mesh or
 * an ingress.
 *
 * <p>Callers use {@link dev.sluice.traffic.TrafficRouters#forRollout} to get a
 * {@link dev.sluice.traffic.TrafficRouter}, build a {@link dev.sluice.traffic.RouterContext} with
 * {@link dev.sluice.traffic.RouterContext#of}, and turn a
 * {@link dev.sluice.traffic.TrafficRoutingException} into a condition on the Rollout (or a retry,
 * when {@code retryable()}). Service selectors (canary/stable, active/preview) are pinned by the
 * controller itself, not through a router.
 *
 * <p>Each router is two classes: a pure rewriter that takes the user's object and returns the
 * rewritten copy (all the logic, unit-tested on tables of objects), and a thin adapter that reads
 * the object, calls the rewriter and writes back only what changed. Adding a mesh is one such pair
 * plus a line in {@code TrafficRouters}.
 */
package dev.sluice.traffic;
