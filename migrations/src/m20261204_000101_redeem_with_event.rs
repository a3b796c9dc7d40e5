//! `benefits_redeem` again, now writing the redemption's `discount.redeemed` event to
//! the outbox inside the same call: the till's write stays one round trip, and the
//! event commits or rolls back with the redemption. SQLite's transaction in the adapter
//! writes the same event.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CREATE: &str = r"
CREATE OR REPLACE FUNCTION benefits_redeem(
    p_code_hash bytea,
    p_now timestamptz,
    p_today date,
    p_offer_id text,
    p_day text, p_month text, p_program text,
    p_day_limit bigint, p_month_limit bigint, p_program_limit bigint,
    p_id text,
    p_store_id text,
    p_purchase bigint,
    p_discount bigint,
    p_key text,
    p_fingerprint bytea,
    OUT outcome text,
    OUT line_id text,
    OUT day_used bigint, OUT month_used bigint, OUT program_used bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_used_at timestamptz;
    v_expires_at timestamptz;
    v_counter record;
BEGIN
    SELECT c.line_id, c.used_at, c.expires_at INTO line_id, v_used_at, v_expires_at
      FROM discount_codes c WHERE c.code_hash = p_code_hash FOR UPDATE;
    IF NOT FOUND OR v_used_at IS NOT NULL THEN
        outcome := 'CODE_USED';
        RETURN;
    END IF;
    IF v_expires_at <= p_now THEN
        outcome := 'CODE_EXPIRED';
        RETURN;
    END IF;

    INSERT INTO offer_usage (line_id, offer_id, period, used)
      SELECT benefits_redeem.line_id, p_offer_id, period, 0
        FROM unnest(ARRAY[p_day, p_month, p_program]) AS period
       ORDER BY period
    ON CONFLICT DO NOTHING;
    FOR v_counter IN
        SELECT u.period, u.used FROM offer_usage u
         WHERE u.line_id = benefits_redeem.line_id AND u.offer_id = p_offer_id
           AND u.period IN (p_day, p_month, p_program)
         ORDER BY u.period
           FOR UPDATE
    LOOP
        IF v_counter.period = p_day THEN
            day_used := v_counter.used;
        ELSIF v_counter.period = p_month THEN
            month_used := v_counter.used;
        ELSE
            program_used := v_counter.used;
        END IF;
    END LOOP;
    IF day_used >= p_day_limit OR month_used >= p_month_limit
       OR program_used >= p_program_limit THEN
        outcome := 'LIMIT_REACHED';
        RETURN;
    END IF;

    UPDATE discount_codes SET used_at = p_now WHERE code_hash = p_code_hash;
    UPDATE offer_usage u SET used = u.used + 1
     WHERE u.line_id = benefits_redeem.line_id AND u.offer_id = p_offer_id
       AND u.period IN (p_day, p_month, p_program);
    INSERT INTO redemptions (id, code_hash, store_id, line_id, offer_id, purchase_amount,
                             discount_amount, status, redeemed_at, redeemed_on,
                             cancelled_at, idempotency_key, fingerprint)
    VALUES (p_id, p_code_hash, p_store_id, benefits_redeem.line_id, p_offer_id, p_purchase,
            p_discount, 'REDEEMED', p_now, p_today, NULL, p_key, p_fingerprint);
    INSERT INTO event_outbox (id, event_type, line_id, customer_id, data, created_at, attempts)
    SELECT gen_random_uuid()::text, 'discount.redeemed', benefits_redeem.line_id, NULL,
           json_build_object('redemptionId', p_id, 'partnerExternalId', pa.external_id,
                             'storeExternalId', s.external_id,
                             'offerExternalId', o.external_id, 'purchaseAmount', p_purchase,
                             'discountAmount', p_discount)::text,
           p_now, 0
      FROM stores s JOIN partners pa ON pa.id = s.partner_id, offers o
     WHERE s.id = p_store_id AND o.id = p_offer_id;
    outcome := 'REDEEMED';
    day_used := day_used + 1;
    month_used := month_used + 1;
    program_used := program_used + 1;
END
$$;
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared(CREATE).await?;
        Ok(())
    }
}
