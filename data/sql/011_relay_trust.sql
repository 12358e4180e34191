-- 011_relay_trust.sql — receipts that cannot be forged or lost, phones typed in any digits
--
-- Phones: Chinese input methods type full-width digits (１３８…), other systems paste other
-- scripts' digits. dw.normalize_phone() translates the decimal digits of the scripts listed in
-- src/core/base/aq-phone.c (unicode_zeros[], the same list in the same order) to ASCII before
-- dropping everything that is not a digit, so SQL and C still agree on every input.
CREATE OR REPLACE FUNCTION dw.normalize_phone(raw text, area_code text DEFAULT '0591')
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT coalesce(
    substring(regexp_replace(translate(raw, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹߀߁߂߃߄߅߆߇߈߉०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯୦୧୨୩୪୫୬୭୮୯௦௧௨௩௪௫௬௭௮௯౦౧౨౩౪౫౬౭౮౯೦೧೨೩೪೫೬೭೮೯൦൧൨൩൪൫൬൭൮൯๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙༠༡༢༣༤༥༦༧༨༩၀၁၂၃၄၅၆၇၈၉០១២៣៤៥៦៧៨៩᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙０１２３４５６７８９', '0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789'), '[^0-9]', '', 'g')
              FROM '^(?:0086|86)?(1[3-9][0-9]{9})$'),
    substring(regexp_replace(translate(raw, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹߀߁߂߃߄߅߆߇߈߉०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯୦୧୨୩୪୫୬୭୮୯௦௧௨௩௪௫௬௭௮௯౦౧౨౩౪౫౬౭౮౯೦೧೨೩೪೫೬೭೮೯൦൧൨൩൪൫൬൭൮൯๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙༠༡༢༣༤༥༦༧༨༩၀၁၂၃၄၅၆၇၈၉០១២៣៤៥៦៧៨៩᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙０１２３４５６７８９', '0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789'), '[^0-9]', '', 'g')
              FROM '^(?:0086|86)?(0[1-9][0-9]{9,10})$'),
    area_code || substring(regexp_replace(translate(raw, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹߀߁߂߃߄߅߆߇߈߉०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯୦୧୨୩୪୫୬୭୮୯௦௧௨௩௪௫௬௭௮௯౦౧౨౩౪౫౬౭౮౯೦೧೨೩೪೫೬೭೮೯൦൧൨൩൪൫൬൭൮൯๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙༠༡༢༣༤༥༦༧༨༩၀၁၂၃၄၅၆၇၈၉០១២៣៤៥៦៧៨៩᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙０１２３４５６７８９', '0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789'), '[^0-9]', '', 'g')
                           FROM '^([2-9][0-9]{6,7})$'))
$$;

-- Idempotency keys: random, made by the warehouse when a message is queued and kept with it,
-- so every retry carries the same key and nobody can derive one from a phone number (they
-- were 'c<campaign>-<channel>-' || md5(phone)). Existing keys stay: messages in flight keep
-- the key their provider has already seen.
ALTER TABLE notify.message
  ALTER COLUMN idempotency_key SET DEFAULT 'm-' || replace(gen_random_uuid()::text, '-', '');

-- A receipt is applied to its message only when it came from the provider that sent it. One
-- that arrives while the message is still queued (or before the relay wrote down that it was
-- sent) is kept with applied_at NULL and applied when the message is recorded as sent by the
-- same provider (src/core/notify/aq-outbox.c).
ALTER TABLE notify.delivery ADD COLUMN applied_at timestamptz;
UPDATE notify.delivery SET applied_at = received_at;
CREATE INDEX delivery_pending_idx ON notify.delivery (message_id) WHERE applied_at IS NULL;
