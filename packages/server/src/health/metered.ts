import type { Ingestor } from '../ingest/ingest.js';
import type { Logger } from '../platform/observability/logger.js';
import type { SubjectService } from '../subjects/subject-service.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * The ingestor and the subject service as the routes see them: the same objects, counted. The
 * features stay unaware of metrics; app.ts hands these to the routes instead of the bare ones.
 * Logged: counts, codes, methods and purpose names (policy words), never a record or a person.
 */
export function meterIngestor(ingestor: Ingestor, metrics: ServerMetrics, log: Logger): Ingestor {
  return {
    // The options (who posted: the caller's assurance) pass through untouched.
    async ingest(items, options) {
      const results = await ingestor.ingest(items, options);
      const rejected: string[] = [];
      let accepted = 0;
      let duplicates = 0;
      for (const result of results) {
        if (result.status === 'rejected') {
          rejected.push(result.code);
          metrics.record('rejected', result.code);
        } else if (result.duplicate) {
          duplicates++;
          metrics.record('duplicate', 'none');
        } else {
          accepted++;
          metrics.record('accepted', 'none');
        }
      }
      log.debug({ accepted, duplicates, rejected }, 'records batch placed');
      return results;
    },
    close: () => ingestor.close(),
  };
}

export function meterSubjects(subjects: SubjectService, metrics: ServerMetrics, log: Logger): SubjectService {
  return {
    ...subjects,
    async recordServerDecision(input) {
      const result = await subjects.recordServerDecision(input);
      metrics.decision(input.method, result);
      log.debug(
        { method: input.method, changed: result.changed, purposes: input.decisions.map((d) => d.purpose) },
        'server decision recorded',
      );
      return result;
    },
  };
}
