/**
 * The canary strategy ({@link dev.sluice.controller.plan.canary.CanaryUpdate}): the steps, the
 * background analysis, the split of pods between canary and stable and, with a traffic router, the
 * weight. Where setWeight is decided: {@code StepWalker} says when a step's weight is reached,
 * {@code CanaryUpdate.advance} where the pods go for it ({@code CanarySplit}, {@code RoutedSplit}),
 * and {@code TrafficPlanner} when the router's weight may move.
 */
package dev.sluice.controller.plan.canary;
