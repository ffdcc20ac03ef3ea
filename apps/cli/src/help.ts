// The text of `overfit --help`: every command and its flags in one screen.
import { SELECTION_METRIC_FIELDS, STAGE_NAMES } from '@overfit/core';
import { DEFAULT_DATA_PATH } from './flags';

export const HELP = `overfit — demonstrate and measure backtest overfitting

Usage:
  overfit run [--data file.csv] [--format auto|generic|yahoo|binance|dukascopy|close_only] [--lenient] [--resample 1h]
              [--strategies 500] [--seed 42] [--families a,b] [--train-fraction 0.7]
              [--select-by win_rate] [--min-trades 10] [--fees-bps 10] [--slippage-bps 0]
              [--overfit-threshold 0.15] [--null-markets 19] [--store .overfit | s3://bucket/prefix] [--json]
              [--engine local|stepfunctions-local] [--s3-endpoint URL] [--data-key data/x.csv]
              [--shard-size 1000] [--max-concurrency 10]
  overfit backtest [--data file.csv] --strategy '<json>' [--from ISO] [--to ISO] [--fees-bps 10] [--slippage-bps 0] [--json]
  overfit stage <${STAGE_NAMES.join('|')}> --event event.json [--store .overfit] [--s3-endpoint URL]
  overfit store gc [--store .overfit] [--apply] [--min-age-hours 24] [--json]
  overfit data inspect file.csv [--json] [--lenient] [--format auto|generic|yahoo|binance|dukascopy|close_only] [--resample 1h]
  overfit data fetch --exchange binance|coinbase --symbol BTCUSDT --interval 1h --from 2018-01-01 [--to 2024-12-31]
                     [--out ${DEFAULT_DATA_PATH}] [--attempts 6] [--base-url URL] [--json]
  overfit data synth --model gbm|garch|bootstrap [--like file.csv] [--bars N] [--interval 1h] [--seed 42] --out f.csv
                     [--volatility 0.65] [--block-length L] [--start 2020-01-01] [--json]
  overfit bench [--data file.csv] [--strategies 500] [--families a,b] [--workers k] [--seed 42] [--repeats 3] [--json]
  overfit cloud start --state-machine-arn ARN [--strategies N …] [--data-key data/x.csv] [--shard-size N]
                      [--max-concurrency N] [--region R] [--wait] [--json]
  overfit cloud status EXECUTION_ARN [--region R] [--json]

Without --data, run uses ${DEFAULT_DATA_PATH} when present, otherwise a seeded synthetic market (and says so).
Selection metrics: ${Object.keys(SELECTION_METRIC_FIELDS).join(', ')}.`;
