package dev.sluice.analysis.provider;

/**
 * Takes measurements for one kind of metric provider. Implementations report every failure as a
 * {@link ProviderResult.Failure} with a clear message rather than throwing.
 */
public interface MeasurementProvider {

  /** Starts a measurement; synchronous providers also finish it. */
  ProviderResult measure(MeasurementContext context);

  /** Checks again on a measurement that was {@link ProviderResult.InProgress}. */
  default ProviderResult resume(MeasurementContext context) {
    return measure(context);
  }

  /** Stops an in-flight measurement the run no longer needs. */
  default void terminate(MeasurementContext context) {}
}
