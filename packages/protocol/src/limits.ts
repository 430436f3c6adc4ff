/** Figures stated by the protocol (customer-rtm §2.2, §11; sdk-mapping §5). */
export const LIMITS = {
  /** The server closes a socket that has not logged in within this time. */
  loginWindowMs: 30_000,
  /** Client keep-alive: a `ping` this often after login. */
  pingIntervalMs: 15_000,
  /** The server closes a connection idle for about this long. */
  idleTimeoutMs: 30_000,
  /** A `login` not answered within this time fails with `REQUEST_TIMEOUT`. */
  loginTimeoutMs: 15_000,
  /** Server-side processing limit; the client waits a little longer. */
  serverRequestTimeoutMs: 15_000,
  clientRequestTimeoutMs: 20_000,
  /** Unanswered requests per socket before `pending_requests_limit_reached`. */
  pendingRequests: 10,
  /** Message text, in bytes of UTF-8. */
  messageTextBytes: 16 * 1024,
  listChatsMaxLimit: 25,
  listChatsDefaultLimit: 10,
  listThreadsMaxLimit: 100,
  listThreadsDefaultLimit: 3,
  minEventsCountMax: 100,
  sessionFieldsMax: 100,
  richMessageElements: 10,
  richMessageButtons: 13,
  uploadBytes: 10 * 1024 * 1024,
  /** Default customer access token lifetime, in seconds. */
  tokenLifetimeS: 28_800,
  /** A cached token with less validity than this is refreshed at connect. */
  tokenReuseMarginMs: 60 * 60 * 1000,
  chatsPerCustomer: 1,
} as const
