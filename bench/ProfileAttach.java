import com.sun.tools.attach.VirtualMachine;

/**
 * Loads async-profiler into a running JVM with one command (start, dump, stop…): bench/profile runs it as a source
 * file. jcmd's JVMTI.agent_load would do, but it parses the agent's "key=value" options as its own.
 */
public class ProfileAttach {

	public static void main(String[] args) throws Exception {
		VirtualMachine vm = VirtualMachine.attach(args[0]);
		try {
			vm.loadAgentPath(args[1], args[2]);
		}
		finally {
			vm.detach();
		}
	}
}
