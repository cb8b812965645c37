-- The payload of a recurring occurrence spells its zone "timeZone", as the code does everywhere
-- (it was "tz"): {"cron":…,"tz":…,"occurrence":…} becomes {"cron":…,"timeZone":…,"occurrence":…}.
-- Without it the bot would take every pending occurrence for another schedule's, cancel it and plan
-- it again. Only recurring payloads start with {"cron": (the JSON the scheduler writes, no spaces);
-- inside a JSON string a quote is escaped, so "tz": can only be that key. Data only.
UPDATE "Job" SET "payload" = replace("payload", '"tz":', '"timeZone":') WHERE "payload" LIKE '{"cron":%' AND "payload" LIKE '%"tz":%';
