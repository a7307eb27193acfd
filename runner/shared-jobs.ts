// -j shared by two fork servers: a head start's (head-start.ts), opened
// first with -j − 1 jobs, and the run's own, opened once every file is
// loaded with the jobs left over.
//
// Each server runs at most its own job count, and a count only ever goes up
// (lowering one would not stop what already runs). So jobs move to a server
// only from one that has started every test it was given: what that one
// still runs is all it will ever run, and the other may have the rest of -j.
// Counts are as this process has heard of them, which is late: a test is
// running here from its "started" report to its end, so it counts for at
// least as long as it really runs, and the sum never passes -j.

import type { ForkServer } from './fork-server';

export class SharedJobs {
  private headJobs: number;
  private restJobs: number;
  private headUnstarted: number;
  private headRunning = 0;
  private restUnstarted: number;
  private restRunning = 0;
  private rest: ForkServer | null = null;

  /** `head` runs `head.count` tests with `head.jobs` jobs; the run's own
   *  server will have `restCount` tests. */
  constructor(
    private readonly total: number,
    private readonly head: { readonly server: ForkServer; readonly jobs: number; readonly count: number },
    restCount: number,
  ) {
    this.headJobs = head.jobs;
    this.headUnstarted = head.count;
    this.restUnstarted = restCount;
    // the head cannot run more at once than it has tests
    this.restJobs = total - Math.min(head.jobs, head.count);
    this.balance();
  }

  /** The job count the run's own server starts with. */
  get initialRestJobs(): number {
    return this.restJobs;
  }

  /** The run's own server, opened with initialRestJobs. */
  useRestServer(server: ForkServer): void {
    this.rest = server;
    this.balance();
  }

  headStarted(): void {
    this.headUnstarted--;
    this.headRunning++;
    this.balance();
  }

  /** A head test is over: it ended, or was cancelled before it started. */
  headEnded(started: boolean): void {
    if (started) this.headRunning--;
    else this.headUnstarted--;
    this.balance();
  }

  restStarted(): void {
    this.restUnstarted--;
    this.restRunning++;
    this.balance();
  }

  restEnded(started: boolean): void {
    if (started) this.restRunning--;
    else this.restUnstarted--;
    this.balance();
  }

  private balance(): void {
    if (this.rest && this.headUnstarted === 0 && this.total - this.headRunning > this.restJobs) {
      this.restJobs = this.total - this.headRunning;
      this.rest.setJobs(this.restJobs);
    }
    if (this.restUnstarted === 0 && this.headUnstarted > 0 && this.total - this.restRunning > this.headJobs) {
      this.headJobs = this.total - this.restRunning;
      this.head.server.setJobs(this.headJobs);
    }
  }
}
