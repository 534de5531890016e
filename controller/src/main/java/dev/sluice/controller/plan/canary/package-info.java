/**
 * The canary strategy ({@link dev.sluice.controller.plan.canary.CanaryUpdate}): the steps, the
 * background analysis, the split of pods between canary and stable and, with a traffic router, the
 * traffic. The canary weight (setWeight) is decided in one place, {@code CanaryWeight}: when a step's
 * weight is reached, what status shows and, with a router, the weight put in place now; the step
 * walk ({@code StepWalker}), the pod splits ({@code CanarySplit}, {@code RoutedSplit}) and the
 * traffic planner ({@code TrafficPlanner}) consume it.
 */
package dev.sluice.controller.plan.canary;
