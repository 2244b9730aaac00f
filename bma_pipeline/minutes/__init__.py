"""Meeting minutes as input (DOMAIN §7): what the H–R meetings decided and promised, judged and
tracked to done."""
