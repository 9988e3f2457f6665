package io.walleye.wallet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

import org.jspecify.annotations.Nullable;

/** A wallet's history as CSV, the same columns for the API and the console's download. */
public final class OperationCsv {

	private OperationCsv() {
	}

	public static void header(Writer writer) throws IOException {
		writer.write("id,created_at,type,status,reason,direction,amount,currency,balance_after,"
				+ "counterparty_wallet,counterparty_name,invoice,description,refunded_amount,charge_id,held_after,hold_id\n");
	}

	public static void row(Writer writer, OperationView o) {
		try {
			writer.write(String.join(",", cell(o.id()), cell(o.createdAt()), cell(o.type()), cell(o.status()),
					cell(o.reason()), cell(o.direction()), cell(o.amount()), cell(o.currency()),
					cell(o.balanceAfter()), cell(o.counterparty().walletToken()), cell(o.counterparty().name()),
					cell(o.invoice()), cell(o.description()), cell(o.refundedAmount()), cell(o.chargeId()),
					cell(o.heldAfter()), cell(o.holdId())));
			writer.write('\n');
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String cell(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		// Quote what CSV needs quoted, and defuse spreadsheet formulas in free text.
		if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !text.matches("-?[0-9.]+")) {
			text = "'" + text;
		}
		if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
			return "\"" + text.replace("\"", "\"\"") + "\"";
		}
		return text;
	}
}
