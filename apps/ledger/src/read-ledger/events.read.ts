import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { beforeCursor, eventColumns, type EventRow, type TimeCursor } from './payments.read';

/** The raw, append-only event log, newest first. */
@Injectable()
export class EventsRead {
  constructor(private readonly dataSource: DataSource) {}

  list(f: { type?: string; from?: string; to?: string; cursor?: TimeCursor; limit: number }): Promise<EventRow[]> {
    return this.dataSource.query(
      `select ${eventColumns()} from events e
        where ($1::text is null or e.type = $1)
          and ($2::timestamptz is null or e.time >= $2)
          and ($3::timestamptz is null or e.time < $3)
          and ${beforeCursor(4)}
        order by e.time desc, e.id desc limit $6`,
      [f.type ?? null, f.from ?? null, f.to ?? null, f.cursor?.time ?? null, f.cursor?.id ?? null, f.limit + 1],
    );
  }
}
