import type { Clock } from '../ports/clock.port';

/**
 * DealDesk's time for trying scheduled work by hand (DEALDESK_CLOCK=manual, local mode only): real time
 * plus whatever `POST /_dev/clock` added, so everything keeps moving and can jump ahead.
 */
export class ManualClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!(ms >= 0)) throw new RangeError('time only moves forward');
    this.offsetMs += ms;
    return this.now();
  }
}
