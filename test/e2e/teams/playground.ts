// The launcher is product code now (`npm run start:teams` starts the Playground too).
export {
  freePort,
  PLAYGROUND_CLI,
  type RunningPlayground,
  startPlayground,
} from '../../../bot/local/teams-playground';
