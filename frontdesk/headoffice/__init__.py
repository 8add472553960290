"""Head office: the server counters enrol with, push their records to and pull from.

It stands for the operator's central systems (billing included): PostgreSQL is the only
state, every process is stateless, so as many ``uvicorn`` workers run behind a load
balancer as the number of counters needs (SPEC §9). See ``docs/sync.md``.
"""
