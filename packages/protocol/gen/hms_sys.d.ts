import * as $protobuf from "protobufjs/minimal.js";
import Long = require("long");

/** Namespace hms. */
export namespace hms {

    /** Namespace sys. */
    namespace sys {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of an AgentMessage.
             * @deprecated Use hms.sys.v1.AgentMessage.$Properties instead.
             */
            interface IAgentMessage extends hms.sys.v1.AgentMessage.$Properties {
            }

            /** Represents an AgentMessage. */
            class AgentMessage {

                /**
                 * Constructs a new AgentMessage.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.AgentMessage.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** AgentMessage hello. */
                hello?: (hms.sys.v1.Hello.$Properties|null);

                /** AgentMessage metrics. */
                metrics?: (hms.sys.v1.MetricsBatch.$Properties|null);

                /** AgentMessage commandStatus. */
                commandStatus?: (hms.sys.v1.CommandStatus.$Properties|null);

                /** AgentMessage kind. */
                kind?: ("hello"|"metrics"|"commandStatus");

                /**
                 * Creates a new AgentMessage instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns AgentMessage instance
                 */
                static create(properties: hms.sys.v1.AgentMessage.$Shape): hms.sys.v1.AgentMessage & hms.sys.v1.AgentMessage.$Shape;
                static create(properties?: hms.sys.v1.AgentMessage.$Properties): hms.sys.v1.AgentMessage;

                /**
                 * Encodes the specified AgentMessage message. Does not implicitly {@link hms.sys.v1.AgentMessage.verify|verify} messages.
                 * @param message AgentMessage message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.AgentMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an AgentMessage message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.AgentMessage & hms.sys.v1.AgentMessage.$Shape} AgentMessage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.AgentMessage & hms.sys.v1.AgentMessage.$Shape;
            }

            namespace AgentMessage {

                /** Properties of an AgentMessage. */
                interface $Properties {

                    /** AgentMessage hello */
                    hello?: (hms.sys.v1.Hello.$Properties|null);

                    /** AgentMessage metrics */
                    metrics?: (hms.sys.v1.MetricsBatch.$Properties|null);

                    /** AgentMessage commandStatus */
                    commandStatus?: (hms.sys.v1.CommandStatus.$Properties|null);

                    /** AgentMessage kind */
                    kind?: ("hello"|"metrics"|"commandStatus");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of an AgentMessage. */
                type $Shape = {
                  hello?: hms.sys.v1.Hello.$Shape|null;
                  metrics?: hms.sys.v1.MetricsBatch.$Shape|null;
                  commandStatus?: hms.sys.v1.CommandStatus.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ kind?: undefined; hello?: null; metrics?: null; commandStatus?: null }|{ kind?: "hello"; hello: hms.sys.v1.Hello.$Shape; metrics?: null; commandStatus?: null }|{ kind?: "metrics"; hello?: null; metrics: hms.sys.v1.MetricsBatch.$Shape; commandStatus?: null }|{ kind?: "commandStatus"; hello?: null; metrics?: null; commandStatus: hms.sys.v1.CommandStatus.$Shape })
                );
            }

            /**
             * Properties of an AggregatorMessage.
             * @deprecated Use hms.sys.v1.AggregatorMessage.$Properties instead.
             */
            interface IAggregatorMessage extends hms.sys.v1.AggregatorMessage.$Properties {
            }

            /** Represents an AggregatorMessage. */
            class AggregatorMessage {

                /**
                 * Constructs a new AggregatorMessage.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.AggregatorMessage.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** AggregatorMessage welcome. */
                welcome?: (hms.sys.v1.Welcome.$Properties|null);

                /** AggregatorMessage ack. */
                ack?: (hms.sys.v1.Ack.$Properties|null);

                /** AggregatorMessage command. */
                command?: (hms.sys.v1.Command.$Properties|null);

                /** AggregatorMessage kind. */
                kind?: ("welcome"|"ack"|"command");

                /**
                 * Creates a new AggregatorMessage instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns AggregatorMessage instance
                 */
                static create(properties: hms.sys.v1.AggregatorMessage.$Shape): hms.sys.v1.AggregatorMessage & hms.sys.v1.AggregatorMessage.$Shape;
                static create(properties?: hms.sys.v1.AggregatorMessage.$Properties): hms.sys.v1.AggregatorMessage;

                /**
                 * Encodes the specified AggregatorMessage message. Does not implicitly {@link hms.sys.v1.AggregatorMessage.verify|verify} messages.
                 * @param message AggregatorMessage message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.AggregatorMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an AggregatorMessage message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.AggregatorMessage & hms.sys.v1.AggregatorMessage.$Shape} AggregatorMessage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.AggregatorMessage & hms.sys.v1.AggregatorMessage.$Shape;
            }

            namespace AggregatorMessage {

                /** Properties of an AggregatorMessage. */
                interface $Properties {

                    /** AggregatorMessage welcome */
                    welcome?: (hms.sys.v1.Welcome.$Properties|null);

                    /** AggregatorMessage ack */
                    ack?: (hms.sys.v1.Ack.$Properties|null);

                    /** AggregatorMessage command */
                    command?: (hms.sys.v1.Command.$Properties|null);

                    /** AggregatorMessage kind */
                    kind?: ("welcome"|"ack"|"command");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of an AggregatorMessage. */
                type $Shape = {
                  welcome?: hms.sys.v1.Welcome.$Shape|null;
                  ack?: hms.sys.v1.Ack.$Shape|null;
                  command?: hms.sys.v1.Command.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ kind?: undefined; welcome?: null; ack?: null; command?: null }|{ kind?: "welcome"; welcome: hms.sys.v1.Welcome.$Shape; ack?: null; command?: null }|{ kind?: "ack"; welcome?: null; ack: hms.sys.v1.Ack.$Shape; command?: null }|{ kind?: "command"; welcome?: null; ack?: null; command: hms.sys.v1.Command.$Shape })
                );
            }

            /**
             * Properties of a Hello.
             * @deprecated Use hms.sys.v1.Hello.$Properties instead.
             */
            interface IHello extends hms.sys.v1.Hello.$Properties {
            }

            /** Represents a Hello. */
            class Hello {

                /**
                 * Constructs a new Hello.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.Hello.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Hello nodeName. */
                nodeName: string;

                /** Hello agentVersion. */
                agentVersion: string;

                /** Hello protocolVersion. */
                protocolVersion: number;

                /** Hello node. */
                node?: (hms.sys.v1.NodeInfo.$Properties|null);

                /** Hello streamId. */
                streamId: string;

                /** Hello intervalMs. */
                intervalMs: number;

                /** Hello inFlight. */
                inFlight: hms.sys.v1.CommandStatus.$Properties[];

                /**
                 * Creates a new Hello instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Hello instance
                 */
                static create(properties: hms.sys.v1.Hello.$Shape): hms.sys.v1.Hello & hms.sys.v1.Hello.$Shape;
                static create(properties?: hms.sys.v1.Hello.$Properties): hms.sys.v1.Hello;

                /**
                 * Encodes the specified Hello message. Does not implicitly {@link hms.sys.v1.Hello.verify|verify} messages.
                 * @param message Hello message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Hello message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Hello & hms.sys.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.Hello & hms.sys.v1.Hello.$Shape;
            }

            namespace Hello {

                /** Properties of a Hello. */
                interface $Properties {

                    /** Hello nodeName */
                    nodeName?: (string|null);

                    /** Hello agentVersion */
                    agentVersion?: (string|null);

                    /** Hello protocolVersion */
                    protocolVersion?: (number|null);

                    /** Hello node */
                    node?: (hms.sys.v1.NodeInfo.$Properties|null);

                    /** Hello streamId */
                    streamId?: (string|null);

                    /** Hello intervalMs */
                    intervalMs?: (number|null);

                    /** Hello inFlight */
                    inFlight?: (hms.sys.v1.CommandStatus.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Hello. */
                type $Shape = hms.sys.v1.Hello.$Properties;
            }

            /**
             * Properties of a NodeInfo.
             * @deprecated Use hms.sys.v1.NodeInfo.$Properties instead.
             */
            interface INodeInfo extends hms.sys.v1.NodeInfo.$Properties {
            }

            /** Represents a NodeInfo. */
            class NodeInfo {

                /**
                 * Constructs a new NodeInfo.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.NodeInfo.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** NodeInfo bootId. */
                bootId: string;

                /** NodeInfo kernelVersion. */
                kernelVersion: string;

                /** NodeInfo osImage. */
                osImage: string;

                /** NodeInfo cpuCores. */
                cpuCores: number;

                /** NodeInfo memoryBytes. */
                memoryBytes: number;

                /** NodeInfo architecture. */
                architecture: string;

                /** NodeInfo cgroupVersion. */
                cgroupVersion: string;

                /** NodeInfo simulatedBoot. */
                simulatedBoot: boolean;

                /** NodeInfo hostname. */
                hostname: string;

                /** NodeInfo bootTimeMs. */
                bootTimeMs: number;

                /**
                 * Creates a new NodeInfo instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns NodeInfo instance
                 */
                static create(properties: hms.sys.v1.NodeInfo.$Shape): hms.sys.v1.NodeInfo & hms.sys.v1.NodeInfo.$Shape;
                static create(properties?: hms.sys.v1.NodeInfo.$Properties): hms.sys.v1.NodeInfo;

                /**
                 * Encodes the specified NodeInfo message. Does not implicitly {@link hms.sys.v1.NodeInfo.verify|verify} messages.
                 * @param message NodeInfo message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.NodeInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a NodeInfo message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.NodeInfo & hms.sys.v1.NodeInfo.$Shape} NodeInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.NodeInfo & hms.sys.v1.NodeInfo.$Shape;
            }

            namespace NodeInfo {

                /** Properties of a NodeInfo. */
                interface $Properties {

                    /** NodeInfo bootId */
                    bootId?: (string|null);

                    /** NodeInfo kernelVersion */
                    kernelVersion?: (string|null);

                    /** NodeInfo osImage */
                    osImage?: (string|null);

                    /** NodeInfo cpuCores */
                    cpuCores?: (number|null);

                    /** NodeInfo memoryBytes */
                    memoryBytes?: (number|null);

                    /** NodeInfo architecture */
                    architecture?: (string|null);

                    /** NodeInfo cgroupVersion */
                    cgroupVersion?: (string|null);

                    /** NodeInfo simulatedBoot */
                    simulatedBoot?: (boolean|null);

                    /** NodeInfo hostname */
                    hostname?: (string|null);

                    /** NodeInfo bootTimeMs */
                    bootTimeMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a NodeInfo. */
                type $Shape = hms.sys.v1.NodeInfo.$Properties;
            }

            /**
             * Properties of a Welcome.
             * @deprecated Use hms.sys.v1.Welcome.$Properties instead.
             */
            interface IWelcome extends hms.sys.v1.Welcome.$Properties {
            }

            /** Represents a Welcome. */
            class Welcome {

                /**
                 * Constructs a new Welcome.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.Welcome.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Welcome protocolVersion. */
                protocolVersion: number;

                /** Welcome aggregatorVersion. */
                aggregatorVersion: string;

                /** Welcome serverTimeMs. */
                serverTimeMs: number;

                /** Welcome lastAckedSeq. */
                lastAckedSeq: number;

                /** Welcome nodeName. */
                nodeName: string;

                /**
                 * Creates a new Welcome instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Welcome instance
                 */
                static create(properties: hms.sys.v1.Welcome.$Shape): hms.sys.v1.Welcome & hms.sys.v1.Welcome.$Shape;
                static create(properties?: hms.sys.v1.Welcome.$Properties): hms.sys.v1.Welcome;

                /**
                 * Encodes the specified Welcome message. Does not implicitly {@link hms.sys.v1.Welcome.verify|verify} messages.
                 * @param message Welcome message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Welcome message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Welcome & hms.sys.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.Welcome & hms.sys.v1.Welcome.$Shape;
            }

            namespace Welcome {

                /** Properties of a Welcome. */
                interface $Properties {

                    /** Welcome protocolVersion */
                    protocolVersion?: (number|null);

                    /** Welcome aggregatorVersion */
                    aggregatorVersion?: (string|null);

                    /** Welcome serverTimeMs */
                    serverTimeMs?: (number|null);

                    /** Welcome lastAckedSeq */
                    lastAckedSeq?: (number|null);

                    /** Welcome nodeName */
                    nodeName?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Welcome. */
                type $Shape = hms.sys.v1.Welcome.$Properties;
            }

            /**
             * Properties of an Ack.
             * @deprecated Use hms.sys.v1.Ack.$Properties instead.
             */
            interface IAck extends hms.sys.v1.Ack.$Properties {
            }

            /** Represents an Ack. */
            class Ack {

                /**
                 * Constructs a new Ack.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.Ack.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Ack seq. */
                seq: number;

                /**
                 * Creates a new Ack instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Ack instance
                 */
                static create(properties: hms.sys.v1.Ack.$Shape): hms.sys.v1.Ack & hms.sys.v1.Ack.$Shape;
                static create(properties?: hms.sys.v1.Ack.$Properties): hms.sys.v1.Ack;

                /**
                 * Encodes the specified Ack message. Does not implicitly {@link hms.sys.v1.Ack.verify|verify} messages.
                 * @param message Ack message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.Ack.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Ack message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Ack & hms.sys.v1.Ack.$Shape} Ack
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.Ack & hms.sys.v1.Ack.$Shape;
            }

            namespace Ack {

                /** Properties of an Ack. */
                interface $Properties {

                    /** Ack seq */
                    seq?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Ack. */
                type $Shape = hms.sys.v1.Ack.$Properties;
            }

            /**
             * Properties of a MetricsBatch.
             * @deprecated Use hms.sys.v1.MetricsBatch.$Properties instead.
             */
            interface IMetricsBatch extends hms.sys.v1.MetricsBatch.$Properties {
            }

            /** Represents a MetricsBatch. */
            class MetricsBatch {

                /**
                 * Constructs a new MetricsBatch.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.MetricsBatch.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** MetricsBatch seq. */
                seq: number;

                /** MetricsBatch collectedAtMs. */
                collectedAtMs: number;

                /** MetricsBatch nodeUsage. */
                nodeUsage?: (hms.sys.v1.NodeUsage.$Properties|null);

                /** MetricsBatch pods. */
                pods: hms.sys.v1.PodSample.$Properties[];

                /** MetricsBatch monotonicUsec. */
                monotonicUsec: number;

                /** MetricsBatch bootId. */
                bootId: string;

                /** MetricsBatch stats. */
                stats?: (hms.sys.v1.CollectionStats.$Properties|null);

                /**
                 * Creates a new MetricsBatch instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns MetricsBatch instance
                 */
                static create(properties: hms.sys.v1.MetricsBatch.$Shape): hms.sys.v1.MetricsBatch & hms.sys.v1.MetricsBatch.$Shape;
                static create(properties?: hms.sys.v1.MetricsBatch.$Properties): hms.sys.v1.MetricsBatch;

                /**
                 * Encodes the specified MetricsBatch message. Does not implicitly {@link hms.sys.v1.MetricsBatch.verify|verify} messages.
                 * @param message MetricsBatch message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.MetricsBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a MetricsBatch message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.MetricsBatch & hms.sys.v1.MetricsBatch.$Shape} MetricsBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.MetricsBatch & hms.sys.v1.MetricsBatch.$Shape;
            }

            namespace MetricsBatch {

                /** Properties of a MetricsBatch. */
                interface $Properties {

                    /** MetricsBatch seq */
                    seq?: (number|null);

                    /** MetricsBatch collectedAtMs */
                    collectedAtMs?: (number|null);

                    /** MetricsBatch nodeUsage */
                    nodeUsage?: (hms.sys.v1.NodeUsage.$Properties|null);

                    /** MetricsBatch pods */
                    pods?: (hms.sys.v1.PodSample.$Properties[]|null);

                    /** MetricsBatch monotonicUsec */
                    monotonicUsec?: (number|null);

                    /** MetricsBatch bootId */
                    bootId?: (string|null);

                    /** MetricsBatch stats */
                    stats?: (hms.sys.v1.CollectionStats.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a MetricsBatch. */
                type $Shape = hms.sys.v1.MetricsBatch.$Properties;
            }

            /**
             * Properties of a NodeUsage.
             * @deprecated Use hms.sys.v1.NodeUsage.$Properties instead.
             */
            interface INodeUsage extends hms.sys.v1.NodeUsage.$Properties {
            }

            /** Represents a NodeUsage. */
            class NodeUsage {

                /**
                 * Constructs a new NodeUsage.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.NodeUsage.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** NodeUsage cpuBusyUsec. */
                cpuBusyUsec: number;

                /** NodeUsage cpuTotalUsec. */
                cpuTotalUsec: number;

                /** NodeUsage cpuCores. */
                cpuCores: number;

                /** NodeUsage memoryTotalBytes. */
                memoryTotalBytes: number;

                /** NodeUsage memoryAvailableBytes. */
                memoryAvailableBytes: number;

                /**
                 * Creates a new NodeUsage instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns NodeUsage instance
                 */
                static create(properties: hms.sys.v1.NodeUsage.$Shape): hms.sys.v1.NodeUsage & hms.sys.v1.NodeUsage.$Shape;
                static create(properties?: hms.sys.v1.NodeUsage.$Properties): hms.sys.v1.NodeUsage;

                /**
                 * Encodes the specified NodeUsage message. Does not implicitly {@link hms.sys.v1.NodeUsage.verify|verify} messages.
                 * @param message NodeUsage message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.NodeUsage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a NodeUsage message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.NodeUsage & hms.sys.v1.NodeUsage.$Shape} NodeUsage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.NodeUsage & hms.sys.v1.NodeUsage.$Shape;
            }

            namespace NodeUsage {

                /** Properties of a NodeUsage. */
                interface $Properties {

                    /** NodeUsage cpuBusyUsec */
                    cpuBusyUsec?: (number|null);

                    /** NodeUsage cpuTotalUsec */
                    cpuTotalUsec?: (number|null);

                    /** NodeUsage cpuCores */
                    cpuCores?: (number|null);

                    /** NodeUsage memoryTotalBytes */
                    memoryTotalBytes?: (number|null);

                    /** NodeUsage memoryAvailableBytes */
                    memoryAvailableBytes?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a NodeUsage. */
                type $Shape = hms.sys.v1.NodeUsage.$Properties;
            }

            /**
             * Properties of a PodSample.
             * @deprecated Use hms.sys.v1.PodSample.$Properties instead.
             */
            interface IPodSample extends hms.sys.v1.PodSample.$Properties {
            }

            /** Represents a PodSample. */
            class PodSample {

                /**
                 * Constructs a new PodSample.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.PodSample.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PodSample uid. */
                uid: string;

                /** PodSample namespace. */
                namespace: string;

                /** PodSample name. */
                name: string;

                /** PodSample qosClass. */
                qosClass: string;

                /** PodSample containers. */
                containers: hms.sys.v1.ContainerSample.$Properties[];

                /** PodSample cpuUsageUsec. */
                cpuUsageUsec: number;

                /** PodSample cgroupPath. */
                cgroupPath: string;

                /** PodSample partial. */
                partial: boolean;

                /**
                 * Creates a new PodSample instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PodSample instance
                 */
                static create(properties: hms.sys.v1.PodSample.$Shape): hms.sys.v1.PodSample & hms.sys.v1.PodSample.$Shape;
                static create(properties?: hms.sys.v1.PodSample.$Properties): hms.sys.v1.PodSample;

                /**
                 * Encodes the specified PodSample message. Does not implicitly {@link hms.sys.v1.PodSample.verify|verify} messages.
                 * @param message PodSample message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.PodSample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PodSample message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.PodSample & hms.sys.v1.PodSample.$Shape} PodSample
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.PodSample & hms.sys.v1.PodSample.$Shape;
            }

            namespace PodSample {

                /** Properties of a PodSample. */
                interface $Properties {

                    /** PodSample uid */
                    uid?: (string|null);

                    /** PodSample namespace */
                    namespace?: (string|null);

                    /** PodSample name */
                    name?: (string|null);

                    /** PodSample qosClass */
                    qosClass?: (string|null);

                    /** PodSample containers */
                    containers?: (hms.sys.v1.ContainerSample.$Properties[]|null);

                    /** PodSample cpuUsageUsec */
                    cpuUsageUsec?: (number|null);

                    /** PodSample cgroupPath */
                    cgroupPath?: (string|null);

                    /** PodSample partial */
                    partial?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PodSample. */
                type $Shape = hms.sys.v1.PodSample.$Properties;
            }

            /**
             * Properties of a ContainerSample.
             * @deprecated Use hms.sys.v1.ContainerSample.$Properties instead.
             */
            interface IContainerSample extends hms.sys.v1.ContainerSample.$Properties {
            }

            /** Represents a ContainerSample. */
            class ContainerSample {

                /**
                 * Constructs a new ContainerSample.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.ContainerSample.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ContainerSample id. */
                id: string;

                /** ContainerSample name. */
                name: string;

                /** ContainerSample cpuUsageUsec. */
                cpuUsageUsec: number;

                /** ContainerSample cpuThrottledUsec. */
                cpuThrottledUsec: number;

                /** ContainerSample nrThrottled. */
                nrThrottled: number;

                /** ContainerSample nrPeriods. */
                nrPeriods: number;

                /** ContainerSample cpuUserUsec. */
                cpuUserUsec: number;

                /** ContainerSample cpuSystemUsec. */
                cpuSystemUsec: number;

                /**
                 * Creates a new ContainerSample instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns ContainerSample instance
                 */
                static create(properties: hms.sys.v1.ContainerSample.$Shape): hms.sys.v1.ContainerSample & hms.sys.v1.ContainerSample.$Shape;
                static create(properties?: hms.sys.v1.ContainerSample.$Properties): hms.sys.v1.ContainerSample;

                /**
                 * Encodes the specified ContainerSample message. Does not implicitly {@link hms.sys.v1.ContainerSample.verify|verify} messages.
                 * @param message ContainerSample message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.ContainerSample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ContainerSample message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.ContainerSample & hms.sys.v1.ContainerSample.$Shape} ContainerSample
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.ContainerSample & hms.sys.v1.ContainerSample.$Shape;
            }

            namespace ContainerSample {

                /** Properties of a ContainerSample. */
                interface $Properties {

                    /** ContainerSample id */
                    id?: (string|null);

                    /** ContainerSample name */
                    name?: (string|null);

                    /** ContainerSample cpuUsageUsec */
                    cpuUsageUsec?: (number|null);

                    /** ContainerSample cpuThrottledUsec */
                    cpuThrottledUsec?: (number|null);

                    /** ContainerSample nrThrottled */
                    nrThrottled?: (number|null);

                    /** ContainerSample nrPeriods */
                    nrPeriods?: (number|null);

                    /** ContainerSample cpuUserUsec */
                    cpuUserUsec?: (number|null);

                    /** ContainerSample cpuSystemUsec */
                    cpuSystemUsec?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ContainerSample. */
                type $Shape = hms.sys.v1.ContainerSample.$Properties;
            }

            /**
             * Properties of a CollectionStats.
             * @deprecated Use hms.sys.v1.CollectionStats.$Properties instead.
             */
            interface ICollectionStats extends hms.sys.v1.CollectionStats.$Properties {
            }

            /** Represents a CollectionStats. */
            class CollectionStats {

                /**
                 * Constructs a new CollectionStats.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.CollectionStats.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CollectionStats cgroupsScanned. */
                cgroupsScanned: number;

                /** CollectionStats readErrors. */
                readErrors: number;

                /** CollectionStats durationUsec. */
                durationUsec: number;

                /** CollectionStats droppedBatches. */
                droppedBatches: number;

                /**
                 * Creates a new CollectionStats instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CollectionStats instance
                 */
                static create(properties: hms.sys.v1.CollectionStats.$Shape): hms.sys.v1.CollectionStats & hms.sys.v1.CollectionStats.$Shape;
                static create(properties?: hms.sys.v1.CollectionStats.$Properties): hms.sys.v1.CollectionStats;

                /**
                 * Encodes the specified CollectionStats message. Does not implicitly {@link hms.sys.v1.CollectionStats.verify|verify} messages.
                 * @param message CollectionStats message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.CollectionStats.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CollectionStats message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.CollectionStats & hms.sys.v1.CollectionStats.$Shape} CollectionStats
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.CollectionStats & hms.sys.v1.CollectionStats.$Shape;
            }

            namespace CollectionStats {

                /** Properties of a CollectionStats. */
                interface $Properties {

                    /** CollectionStats cgroupsScanned */
                    cgroupsScanned?: (number|null);

                    /** CollectionStats readErrors */
                    readErrors?: (number|null);

                    /** CollectionStats durationUsec */
                    durationUsec?: (number|null);

                    /** CollectionStats droppedBatches */
                    droppedBatches?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CollectionStats. */
                type $Shape = hms.sys.v1.CollectionStats.$Properties;
            }

            /** PatchKind enum. */
            enum PatchKind {

                /** PATCH_KIND_UNSPECIFIED value */
                PATCH_KIND_UNSPECIFIED = 0,

                /** PATCH_KIND_KERNEL value */
                PATCH_KIND_KERNEL = 1,

                /** PATCH_KIND_OS value */
                PATCH_KIND_OS = 2,

                /** PATCH_KIND_PACKAGES value */
                PATCH_KIND_PACKAGES = 3
            }

            /**
             * Properties of a Command.
             * @deprecated Use hms.sys.v1.Command.$Properties instead.
             */
            interface ICommand extends hms.sys.v1.Command.$Properties {
            }

            /** Represents a Command. */
            class Command {

                /**
                 * Constructs a new Command.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.Command.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Command id. */
                id: string;

                /** Command issuedAtMs. */
                issuedAtMs: number;

                /** Command expiresAtMs. */
                expiresAtMs: number;

                /** Command nodeName. */
                nodeName: string;

                /** Command runId. */
                runId: string;

                /** Command patchKind. */
                patchKind: hms.sys.v1.PatchKind;

                /** Command allowReboot. */
                allowReboot: boolean;

                /** Command forceReboot. */
                forceReboot: boolean;

                /** Command dryRun. */
                dryRun: boolean;

                /** Command keyId. */
                keyId: string;

                /** Command signature. */
                signature: Uint8Array;

                /**
                 * Creates a new Command instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Command instance
                 */
                static create(properties: hms.sys.v1.Command.$Shape): hms.sys.v1.Command & hms.sys.v1.Command.$Shape;
                static create(properties?: hms.sys.v1.Command.$Properties): hms.sys.v1.Command;

                /**
                 * Encodes the specified Command message. Does not implicitly {@link hms.sys.v1.Command.verify|verify} messages.
                 * @param message Command message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.Command.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Command message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.Command & hms.sys.v1.Command.$Shape} Command
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.Command & hms.sys.v1.Command.$Shape;
            }

            namespace Command {

                /** Properties of a Command. */
                interface $Properties {

                    /** Command id */
                    id?: (string|null);

                    /** Command issuedAtMs */
                    issuedAtMs?: (number|null);

                    /** Command expiresAtMs */
                    expiresAtMs?: (number|null);

                    /** Command nodeName */
                    nodeName?: (string|null);

                    /** Command runId */
                    runId?: (string|null);

                    /** Command patchKind */
                    patchKind?: (hms.sys.v1.PatchKind|null);

                    /** Command allowReboot */
                    allowReboot?: (boolean|null);

                    /** Command forceReboot */
                    forceReboot?: (boolean|null);

                    /** Command dryRun */
                    dryRun?: (boolean|null);

                    /** Command keyId */
                    keyId?: (string|null);

                    /** Command signature */
                    signature?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Command. */
                type $Shape = hms.sys.v1.Command.$Properties;
            }

            /** CommandState enum. */
            enum CommandState {

                /** COMMAND_STATE_UNSPECIFIED value */
                COMMAND_STATE_UNSPECIFIED = 0,

                /** COMMAND_STATE_RECEIVED value */
                COMMAND_STATE_RECEIVED = 1,

                /** COMMAND_STATE_PATCHING value */
                COMMAND_STATE_PATCHING = 2,

                /** COMMAND_STATE_REBOOTING value */
                COMMAND_STATE_REBOOTING = 3,

                /** COMMAND_STATE_VERIFYING value */
                COMMAND_STATE_VERIFYING = 4,

                /** COMMAND_STATE_DONE value */
                COMMAND_STATE_DONE = 5,

                /** COMMAND_STATE_FAILED value */
                COMMAND_STATE_FAILED = 6,

                /** COMMAND_STATE_REFUSED value */
                COMMAND_STATE_REFUSED = 7
            }

            /**
             * Properties of a CommandStatus.
             * @deprecated Use hms.sys.v1.CommandStatus.$Properties instead.
             */
            interface ICommandStatus extends hms.sys.v1.CommandStatus.$Properties {
            }

            /** Represents a CommandStatus. */
            class CommandStatus {

                /**
                 * Constructs a new CommandStatus.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: hms.sys.v1.CommandStatus.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CommandStatus commandId. */
                commandId: string;

                /** CommandStatus state. */
                state: hms.sys.v1.CommandState;

                /** CommandStatus message. */
                message: string;

                /** CommandStatus exitCode. */
                exitCode: number;

                /** CommandStatus outputTail. */
                outputTail: string;

                /** CommandStatus bootIdBefore. */
                bootIdBefore: string;

                /** CommandStatus bootId. */
                bootId: string;

                /** CommandStatus kernelVersion. */
                kernelVersion: string;

                /** CommandStatus rebootRequired. */
                rebootRequired: boolean;

                /** CommandStatus rebooted. */
                rebooted: boolean;

                /** CommandStatus simulated. */
                simulated: boolean;

                /** CommandStatus dryRun. */
                dryRun: boolean;

                /** CommandStatus updatedAtMs. */
                updatedAtMs: number;

                /** CommandStatus runId. */
                runId: string;

                /** CommandStatus refusalReason. */
                refusalReason: string;

                /**
                 * Creates a new CommandStatus instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CommandStatus instance
                 */
                static create(properties: hms.sys.v1.CommandStatus.$Shape): hms.sys.v1.CommandStatus & hms.sys.v1.CommandStatus.$Shape;
                static create(properties?: hms.sys.v1.CommandStatus.$Properties): hms.sys.v1.CommandStatus;

                /**
                 * Encodes the specified CommandStatus message. Does not implicitly {@link hms.sys.v1.CommandStatus.verify|verify} messages.
                 * @param message CommandStatus message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: hms.sys.v1.CommandStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CommandStatus message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {hms.sys.v1.CommandStatus & hms.sys.v1.CommandStatus.$Shape} CommandStatus
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): hms.sys.v1.CommandStatus & hms.sys.v1.CommandStatus.$Shape;
            }

            namespace CommandStatus {

                /** Properties of a CommandStatus. */
                interface $Properties {

                    /** CommandStatus commandId */
                    commandId?: (string|null);

                    /** CommandStatus state */
                    state?: (hms.sys.v1.CommandState|null);

                    /** CommandStatus message */
                    message?: (string|null);

                    /** CommandStatus exitCode */
                    exitCode?: (number|null);

                    /** CommandStatus outputTail */
                    outputTail?: (string|null);

                    /** CommandStatus bootIdBefore */
                    bootIdBefore?: (string|null);

                    /** CommandStatus bootId */
                    bootId?: (string|null);

                    /** CommandStatus kernelVersion */
                    kernelVersion?: (string|null);

                    /** CommandStatus rebootRequired */
                    rebootRequired?: (boolean|null);

                    /** CommandStatus rebooted */
                    rebooted?: (boolean|null);

                    /** CommandStatus simulated */
                    simulated?: (boolean|null);

                    /** CommandStatus dryRun */
                    dryRun?: (boolean|null);

                    /** CommandStatus updatedAtMs */
                    updatedAtMs?: (number|null);

                    /** CommandStatus runId */
                    runId?: (string|null);

                    /** CommandStatus refusalReason */
                    refusalReason?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CommandStatus. */
                type $Shape = hms.sys.v1.CommandStatus.$Properties;
            }
        }
    }
}
