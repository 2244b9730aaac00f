"""Publishing the marts to their readers: BI views and the read-only BI role."""
