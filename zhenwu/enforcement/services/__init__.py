"""Every write of 一队执法 (services): the power list, officers and squads, penalty cases."""
