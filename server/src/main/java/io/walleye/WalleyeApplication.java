package io.walleye;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Walleye: wallet, The Eye and the GitHub ETL in one service; {@code walleye.roles} picks what a process runs. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Modulithic(sharedModules = "platform")
public class WalleyeApplication {

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("backup")) {
			// No Spring context: the data directory belongs to the Walleye that serves, this only copies it.
			io.walleye.platform.db.OnlineBackup.main(args);
			return;
		}
		SpringApplication.run(WalleyeApplication.class, args);
	}
}
