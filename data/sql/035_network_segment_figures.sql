-- 035_network_segment_figures.sql — who is on each valve segment, stored by the dm_network
-- pipeline so that an isolation reads its communities and key customers instead of counting
-- them (src/core/network/aq-network.c).
--
-- The rule is the outage analysis's (aq-outage-area-private.h): open accounts on premises not
-- demolished; reachable when the customer has a mobile or a WeChat openid. accounts_total is
-- every open account of the community (the same on each of its rows): an isolation's
-- community is "inside" when it cuts off all of them. The pipeline's "figures" step fills
-- both tables from dw after the accounts are mapped to their segments. Named by the naming
-- standard (a dm table starts with its subject's word: valve, the network's), unlike 012's.

CREATE TABLE dm.valve_segment_community (
  segment_id      integer NOT NULL,
  community_code  text NOT NULL,
  accounts        integer NOT NULL,
  reachable       integer NOT NULL,
  accounts_total  integer NOT NULL,
  PRIMARY KEY (segment_id, community_code)
);

CREATE TABLE dm.valve_segment_key_customer (
  segment_id    integer NOT NULL,
  kc_id         integer NOT NULL,
  account_id    text NOT NULL,
  name          text NOT NULL,
  kind          text NOT NULL,
  is_reachable  boolean NOT NULL,
  lon           double precision NOT NULL,
  lat           double precision NOT NULL,
  PRIMARY KEY (segment_id, kc_id)
);
