import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface FlowRow {
  minute: Date;
  type: string;
  count: number;
}

/** Stored events counted by type per minute of their time, over the last `minutes` minutes (the console's chart). */
@Injectable()
export class FlowRead {
  constructor(private readonly dataSource: DataSource) {}

  async perMinute(minutes: number): Promise<{ from: Date; rows: FlowRow[] }> {
    const [start]: { from: Date }[] = await this.dataSource.query(
      `select date_trunc('minute', now()) - make_interval(mins => $1 - 1) as "from"`,
      [minutes],
    );
    const rows: FlowRow[] = await this.dataSource.query(
      `select date_trunc('minute', e.time) as minute, e.type, count(*)::int as count from events e
        where e.time >= $1 and e.time < now() + interval '1 minute'
        group by 1, 2 order by 1, 2`,
      [start!.from],
    );
    return { from: start!.from, rows };
  }
}
