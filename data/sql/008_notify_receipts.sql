-- Receipts that name a message only by the provider's own id (most SMS vendors' reports do)
-- find it through this index instead of scanning the outbox (src/daemon/aq-receipts.c).
CREATE INDEX message_provider_msg_idx ON notify.message (provider, provider_msg_id)
  WHERE provider_msg_id IS NOT NULL;
