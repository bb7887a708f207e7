-- The bill run looks up the sales orders not billed yet of each batch of contracts
-- (WHERE document_id IS NULL AND contract_id IN (...)); without an index that was a scan
-- of every sales order ever recorded, once per 500 contracts of a run. Billed orders
-- (document_id set) are not indexed: the index stays the size of the open orders.
CREATE INDEX sales_orders_pending ON sales_orders (contract_id) WHERE document_id IS NULL;
