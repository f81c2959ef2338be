//! Staffing search: the fewest agents per interval that meet targets (`rappel staff`).
