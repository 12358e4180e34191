-- Outages drawn by dispatchers, their notice campaigns, the outbox that the gateway
-- (aqueductd) relays to the providers, and the providers' delivery receipts.
-- Panels write here and in meta.*, never in ods/dw/dm.

-- kind: planned, emergency; status: planned, active, restored, cancelled
CREATE TABLE notify.outage (
  outage_id     bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('planned', 'emergency')),
  reason        text NOT NULL,
  start_time    timestamptz NOT NULL,
  expected_end  timestamptz NOT NULL,
  restored_at   timestamptz,
  status        text NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'active', 'restored', 'cancelled')),
  geom          geometry(MultiPolygon, 4326) NOT NULL,
  created_by    text NOT NULL DEFAULT current_user,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (expected_end > start_time)
);
CREATE INDEX outage_geom_idx ON notify.outage USING gist (geom);

-- The accounts an outage affects, fixed when it is saved: the customer 360 and the
-- "water restored" notice read this instead of repeating the geometry.
CREATE TABLE notify.outage_account (
  outage_id   bigint NOT NULL REFERENCES notify.outage ON DELETE CASCADE,
  account_id  text NOT NULL,
  PRIMARY KEY (outage_id, account_id)
);
CREATE INDEX outage_account_account_idx ON notify.outage_account (account_id);

-- kind: outage (the first notice), restored, update
-- status: draft, reviewed, queued, done, cancelled
CREATE TABLE notify.campaign (
  campaign_id   bigserial PRIMARY KEY,
  outage_id     bigint REFERENCES notify.outage,
  kind          text NOT NULL,
  template      text NOT NULL,
  status        text NOT NULL DEFAULT 'draft',
  not_before    timestamptz,        -- quiet hours: nothing of it is relayed earlier
  created_by    text NOT NULL DEFAULT current_user,
  created_at    timestamptz NOT NULL DEFAULT now(),
  reviewed_by   text,
  reviewed_at   timestamptz,
  queued_at     timestamptz
);

-- One message per recipient and channel of a campaign.
-- status: queued → sending (leased by one relay until lease_until) → sent → delivered | failed.
-- A lease that ran out (the relay died) makes the message claimable again; the provider sees
-- the same idempotency_key every time.
CREATE TABLE notify.message (
  message_id       bigserial PRIMARY KEY,
  campaign_id      bigint NOT NULL REFERENCES notify.campaign,
  account_id       text,
  channel          text NOT NULL CHECK (channel IN ('sms', 'wechat')),
  recipient        text NOT NULL,      -- normalised mobile number or WeChat openid
  body             text NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_owner      text,
  lease_until      timestamptz,
  provider         text,
  provider_msg_id  text,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  delivered_at     timestamptz,
  UNIQUE (campaign_id, channel, recipient)
);
CREATE INDEX message_due_idx ON notify.message (next_attempt_at)
  WHERE status IN ('queued', 'sending');
CREATE INDEX message_campaign_status_idx ON notify.message (campaign_id, status);
CREATE INDEX message_recipient_sent_idx ON notify.message (recipient, sent_at);

-- Receipts as the providers pushed them; a second copy of one receipt is ignored.
CREATE TABLE notify.delivery (
  provider     text NOT NULL,
  receipt_id   text NOT NULL,
  message_id   bigint REFERENCES notify.message,
  status       text NOT NULL,         -- delivered, failed
  detail       text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, receipt_id)
);
