-- Outbox claims (issue 15): the node sending a delivery marks it, so no other node sends the same
-- attempt. claimed_by is that node's id, claimed_until (epoch ms) when the claim lapses if the node
-- dies mid-send; after that another node may retry the delivery under the same id.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN claimed_until INTEGER;
-- a channel send interrupted by its node's death is found by its lapsed claim
CREATE INDEX deliveries_sending ON deliveries(claimed_until) WHERE state = 'sending';
