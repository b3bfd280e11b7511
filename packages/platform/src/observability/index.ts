export * from './http-metrics';
export * from './scrape-gauges';
