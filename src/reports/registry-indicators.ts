import type { Directory } from '../directory';
import type { RegistryStore } from '../registry';
import { computeIndicators, type IndicatorReport } from './indicators';
import type { Period } from './period';
import { ReportStore } from './store';

/** Indicators for any period, straight from the registry (the API's figures, and the report's). */
export async function indicatorsFromRegistry(
  store: RegistryStore,
  directory: Directory,
  period: Period,
  asOf: string,
): Promise<IndicatorReport> {
  const rows = await new ReportStore(store).indicatorRows();
  return computeIndicators(rows, {
    period,
    asOf,
    population: directory.county.population,
    cityAverageLitigationRate: directory.county.cityAverageLitigationRate,
    agencyIds: directory.agencies.map((a) => a.id),
  });
}
